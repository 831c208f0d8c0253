/**
 * The session's agenda and agreement check, rendered into the record form (card
 * and tab), so the record starts from what both people put on the agenda.
 * Agenda text is case detail: it is shown only inside the form the parties get,
 * never in a card's summary (the preview Teams shows in notifications).
 */
import { Container } from '@microsoft/teams.cards';
import type { AgendaLineView, RecordAgenda } from '../../ports/messages';
import { type Card, type CardElement, plain, plainText, para } from './common';

const MAX_LINES = 15;
const MAX_LINE_CHARS = 200;
/** Teams refuses messages over ~28 KB (as record.ts's CARD_BYTE_BUDGET). */
const BYTE_BUDGET = 27 * 1024;

const short = (s: string) => (s.length > MAX_LINE_CHARS ? `${s.slice(0, MAX_LINE_CHARS - 1)}…` : s);

function lineText(l: AgendaLineView): string {
  const mark = l.discussed ? '☑' : '☐';
  const what = plainText(short(l.text));
  switch (l.kind) {
    case 'standing':
      return `${mark} ${what}`;
    case 'carried-topic':
      return `${mark} ${what} _(not reached last time)_`;
    case 'open-action':
      return `• ${what} _(open action: ${plainText(l.ownerName ?? '')}, due ${l.dueOn})_`;
    case 'added':
      return `${mark} ${what} _(${plainText(l.addedByName ?? '')})_`;
  }
}

export function agendaBlocks(agenda: RecordAgenda, maxLines = MAX_LINES): CardElement[] {
  const shown = agenda.lines.slice(0, maxLines);
  const more = agenda.lines.length - shown.length;
  const agreementOk = agenda.agreement.finding === 'in-date';
  return [
    new Container(
      para('Agenda', { weight: 'Bolder' }),
      ...(agenda.agreement.checkedEachSession || !agreementOk ? [para(agenda.agreement.words, { color: agreementOk ? 'Good' : 'Attention', spacing: 'Small' })] : []),
      ...(shown.length ? shown.map((l) => para(lineText(l), { spacing: 'None' })) : [para('Nothing was put on the agenda.', { isSubtle: true })]),
      ...(more > 0 ? [para(`…and ${more} more on the agenda in the tab.`, { isSubtle: true })] : []),
    ).withOptions({ id: 'agenda', style: 'emphasis', spacing: 'Medium' }),
  ];
}

/** The form with the agenda after its heading; fewer lines, then none, if the card would grow past Teams' limit. */
export function withAgenda(form: Card, agenda: RecordAgenda | undefined): Card {
  if (!agenda) return form;
  const body = form.body ?? [];
  for (const max of [MAX_LINES, 5, 0]) {
    const blocks = max === 0 ? agendaBlocks({ ...agenda, lines: [] }, 0) : agendaBlocks(agenda, max);
    const next: Card = { ...form, body: [...body.slice(0, 1), ...blocks.map(plain), ...body.slice(1)] };
    if (Buffer.byteLength(JSON.stringify(next)) <= BYTE_BUDGET) return next;
  }
  return form;
}
