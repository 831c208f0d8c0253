/**
 * Issue 18 on the seed organisation, in process: the agenda use case's access
 * rules and bad input; the pre-session card (once, at the pack's lead time, no
 * agenda text); moves that ask first (who may answer, only offered times, the
 * first answer wins, the deadline never books twice); the rule never to move
 * a session within the pack's limit of its start; and every new card against
 * the Adaptive Card 1.5 schema.
 */
import { moveNoticeCard } from '../../src/bot/cards/moves';
import { preSessionCard } from '../../src/bot/cards/preSession';
import { withAgenda } from '../../src/bot/cards/agenda';
import { card, heading } from '../../src/bot/cards/common';
import { PolicyPack } from '../../src/domain/policy/schema';
import type { Person } from '../../src/domain/model';
import { addAgendaItem, type AgendaDeps, agendaForRecordForm, markAgendaLine, readAgenda, removeAgendaItem, savePrivateNote } from '../../src/usecases/agenda';
import { type PreSessionNotice, sendPreSessionCards } from '../../src/usecases/preSession';
import { answerProposal, type MoveNotice, settleDueProposals } from '../../src/usecases/rebookProposal';
import { processRebooks, replacementId } from '../../src/usecases/rebooking';
import { reconcile } from '../../src/usecases/reconcile';
import { rescheduleOccurrence } from '../../src/usecases/sessions';
import { AppError } from '../../src/usecases/errors';
import { cardProblems } from '../support/adaptiveCards';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';
import { startInProcess, storedState } from '../support/inProcessApp';

const W = 'worker-test';

async function setup(moves?: Record<string, unknown>) {
  const c = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  if (moves) {
    const pack = c.services.policies.get('westmorland-furness-scp')!;
    c.services.policies.set(pack.id, PolicyPack.parse({ ...pack, rebooking: { ...pack.rebooking, moves: { source: 'test', ...moves } } }));
  }
  const person = async (id: string) => (await c.services.directory.getPerson(id))!;
  const samSessions = await c.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'] });
  const deps: AgendaDeps = { agenda: c.services.agenda!, records: c.store, directory: c.store, policies: c.services.policies, clock: c.clock };
  return { ...c, person, samSessions, deps };
}

const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.message}`;
    throw err;
  }
};

describe('the agenda use case', () => {
  it('only the two parties read or write it; bad input is refused, naming the field; only the author removes an item', async () => {
    const { deps, person, samSessions, store } = await setup();
    const [sam, daniel, helen] = await Promise.all([person('sam-patel'), person('daniel-okafor'), person('helen-carter')]);
    const s = samSessions[0]!;
    const v = await addAgendaItem(deps, sam, s.id, '  Caseload\r\npressure  ');
    const mine = v.lines.find((l) => l.kind === 'added')!;
    expect(mine).toMatchObject({ text: 'Caseload\npressure', addedByName: 'Sam Patel', mine: true });
    expect(await status(readAgenda(deps, helen, s.id))).toBe('404 No such session of yours');
    expect(await status(addAgendaItem(deps, helen, s.id, 'x'))).toBe('404 No such session of yours');
    expect(await status(addAgendaItem(deps, sam, s.id, '   '))).toBe('400 Please check text: the agenda item is empty');
    expect(await status(addAgendaItem(deps, sam, s.id, 'x'.repeat(1001)))).toBe('400 Please check text: the agenda item is longer than 1,000 characters');
    expect(await status(removeAgendaItem(deps, daniel, s.id, mine.id))).toBe('403 Only the person who added an item can take it off the agenda');
    expect(await status(markAgendaLine(deps, daniel, s.id, 'nope', true))).toBe('404 No such agenda item');
    expect(await status(markAgendaLine(deps, daniel, s.id, 'standing:nope', true))).toBe('404 No such agenda item');
    // A standing item's tick, set and cleared.
    expect((await markAgendaLine(deps, daniel, s.id, 'standing:support-wellbeing', true)).lines.find((l) => l.id === 'standing:support-wellbeing')!.discussed).toBe(true);
    expect((await markAgendaLine(deps, sam, s.id, 'standing:support-wellbeing', false)).lines.find((l) => l.id === 'standing:support-wellbeing')!.discussed).toBe(false);
    expect((await removeAgendaItem(deps, sam, s.id, mine.id)).lines.some((l) => l.id === mine.id)).toBe(false);
    expect(await status(savePrivateNote(deps, sam, s.id, 'x'.repeat(20_001)))).toBe('400 Please check text: the note is longer than 20,000 characters');
    // Every read audited, by session, never the text.
    await readAgenda(deps, daniel, s.id);
    const audit = await store.listAudit({ subjectId: s.id });
    expect(audit.filter((a) => a.action === 'agenda-read').map((a) => a.actorId)).toEqual(['daniel-okafor']);
    expect(audit.filter((a) => a.action === 'agenda-item-added').map((a) => a.actorId)).toEqual(['sam-patel']);
    expect(JSON.stringify(audit)).not.toContain('Caseload');
  });

  it('the record form starts from the agenda, and the card it makes stays a valid card within Teams\' limit', async () => {
    const { deps, person, samSessions, store } = await setup();
    const sam = await person('sam-patel');
    for (let i = 0; i < 50; i++) await addAgendaItem(deps, sam, samSessions[0]!.id, `Item ${i} ${'long text '.repeat(90)}`);
    const rel = (await store.getRelationship('rel-daniel-sam'))!;
    const agenda = (await agendaForRecordForm(deps, rel, samSessions[0]!.id))!;
    expect(agenda.lines.length).toBe(53);
    const form = withAgenda(card([heading('Reflective supervision record'), { type: 'Input.Text', id: 'x', label: 'x' }]), agenda);
    expect(cardProblems(form)).toEqual([]);
    expect(JSON.stringify(form)).toContain('…and 38 more on the agenda in the tab.');
    expect(agenda.agreement.finding).toBe('in-date');
  });
});

describe('the pre-session card', () => {
  it('goes to both parties once, within the pack\'s lead time, with no agenda text', async () => {
    const { services, clock, samSessions, deps, person } = await setup();
    const next = samSessions[0]!;
    await addAgendaItem(deps, await person('sam-patel'), next.id, 'SECRET-AGENDA-TEXT');
    const told: { to: string; n: PreSessionNotice }[] = [];
    const tell = async (p: Person, n: PreSessionNotice) => void told.push({ to: p.id, n });
    clock.set(new Date(Date.parse(next.start) - 25 * 3600_000).toISOString());
    expect(await sendPreSessionCards(services, tell)).toEqual({ sent: 0, failed: 0 });
    clock.set(new Date(Date.parse(next.start) - 23 * 3600_000).toISOString());
    const memo = new Map<string, number>();
    expect(await sendPreSessionCards(services, tell, undefined, memo)).toEqual({ sent: 2, failed: 0 });
    // The same process remembers; a restarted one (a fresh memo) is refused by the ledger.
    expect(await sendPreSessionCards(services, tell, undefined, memo)).toEqual({ sent: 0, failed: 0 });
    expect(await sendPreSessionCards(services, tell)).toEqual({ sent: 0, failed: 0 });
    expect((await services.store.listClaims('pre-session-card')).length).toBe(2);
    expect(told.map((t) => t.to).sort()).toEqual(['daniel-okafor', 'sam-patel']);
    const rendered = preSessionCard(told[0]!.n, 'http://localhost:3978/tab/#/agenda/x');
    expect(cardProblems(rendered)).toEqual([]);
    expect(JSON.stringify([told, rendered])).not.toContain('SECRET');
  });
});

describe('moves that ask first (propose mode)', () => {
  async function proposed() {
    const c = await setup({ mode: 'propose', answerWithin: 'P2D', noMoveWithin: 'PT24H' });
    const notices: { to: string; n: MoveNotice }[] = [];
    const moves = async (p: Person, n: MoveNotice) => void notices.push({ to: p.id, n });
    const notify = { notifier: new FakeNotifier(), tabUrl: 'http://localhost:3978/tab/', moves };
    const target = c.samSessions[1]!;
    await c.calendar.cancelOccurrence('daniel-okafor', target.calendarEventId!, target.occurrenceStart, 'Off sick');
    await reconcile(c.services, W);
    expect(await processRebooks(c.services, notify, W)).toBe(1);
    const proposal = notices.find((x) => x.n.kind === 'proposed')!.n as Extract<MoveNotice, { kind: 'proposed' }>;
    return { ...c, notices, moves, target, proposal: proposal.proposal };
  }

  it('holds the best slot, tells both why, and books only when the supervisee answers; the first answer wins', async () => {
    const { services, notices, moves, target, proposal, person, store, calendar, clock } = await proposed();
    expect(notices.map((x) => [x.to, x.n.kind, x.n.kind === 'proposed' ? x.n.to : ''])).toEqual([
      ['daniel-okafor', 'proposed', 'supervisor'],
      ['sam-patel', 'proposed', 'supervisee'],
    ]);
    for (const x of notices) expect(cardProblems(moveNoticeCard(x.n, 'http://localhost:3978/tab/'))).toEqual([]);
    expect(proposal.answerBy).toBe(new Date(Date.parse(clock.now().toISOString()) + 2 * 86_400_000).toISOString());
    expect((await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).some((s) => s.id === replacementId(target.id))).toBe(false);
    const [sam, daniel] = await Promise.all([person('sam-patel'), person('daniel-okafor')]);
    const ids = { cancelledId: target.id, relationshipId: 'rel-daniel-sam' };
    expect(await status(answerProposal(services, moves, daniel, ids))).toMatch(/^403 The new time is for your supervisee to accept or change/);
    expect(await status(answerProposal(services, moves, sam, { ...ids, start: '2027-01-05T10:00:00.000Z', end: '2027-01-05T11:30:00.000Z' }))).toBe('400 That time was not one of the offered times');
    const other = proposal.alternatives[0]!;
    const booked = await answerProposal(services, moves, sam, { ...ids, ...other });
    expect(booked).toMatchObject({ kind: 'booked', how: 'chose', booked: other });
    expect(await status(answerProposal(services, moves, sam, ids))).toBe('400 This has already been answered; the session is booked.');
    // The deadline passes: nothing is booked twice.
    clock.set(new Date(Date.parse(proposal.answerBy) + 60_000).toISOString());
    expect(await settleDueProposals(services, moves, W)).toBe(1);
    const replacements = (await store.listSessions({ relationshipIds: ['rel-daniel-sam'] })).filter((s) => s.id === replacementId(target.id));
    expect(replacements).toEqual([expect.objectContaining({ start: other.start, end: other.end, kind: 'rebooked', replacesSessionId: target.id })]);
    for (const p of ['daniel-okafor', 'sam-patel']) {
      const events = (await calendar.listEvents(p, { start: target.start.slice(0, 4) + '-01-01T00:00:00Z', end: '2028-01-01T00:00:00Z' })).filter((e) => e.appTag === replacementId(target.id));
      expect(events.map((e) => [e.start, e.showAs])).toEqual([[other.start, 'busy']]);
    }
    expect(notices.filter((x) => x.n.kind === 'booked').map((x) => x.to).sort()).toEqual(['daniel-okafor', 'sam-patel']);
    expect(cardProblems(moveNoticeCard(booked, 'http://localhost:3978/tab/'))).toEqual([]);
  });

  it('an offered time starting within the no-move limit is refused in plain words', async () => {
    const { services, moves, target, proposal, person, clock } = await proposed();
    const other = proposal.alternatives[0]!;
    clock.set(new Date(Date.parse(other.start) - 3600_000).toISOString());
    expect(await status(answerProposal(services, moves, await person('sam-patel'), { cancelledId: target.id, relationshipId: 'rel-daniel-sam', ...other }))).toMatch(
      /^400 That time starts in less than 24 hours, and Westmorland and Furness Safeguarding Children Partnership never moves a supervision session that close to its start/,
    );
  });
});

describe('never moving a session close to its start', () => {
  it('the tab refuses to move a session starting within the limit, saying why', async () => {
    const { services, samSessions, clock, person } = await setup({ mode: 'auto', noMoveWithin: 'PT48H' });
    const s = samSessions[0]!;
    clock.set(new Date(Date.parse(s.start) - 47 * 3600_000).toISOString());
    expect(await status(rescheduleOccurrence(services, await person('daniel-okafor'), s.id, { start: s.start, end: s.end }))).toBe(
      '400 This session starts in less than 2 days, and Westmorland and Furness Safeguarding Children Partnership never moves a supervision session that close to its start, so it stays as it is.',
    );
  });
});

describe('the agenda over HTTP (/api/v1)', () => {
  it('bad bodies get a 4xx JSON error naming the field, and nothing is stored', async () => {
    const t = await startInProcess();
    try {
      const session = (t.db.prepare("SELECT id FROM sessions WHERE relationship_id = 'rel-daniel-sam' AND status = 'planned' ORDER BY start LIMIT 1").get() as { id: string }).id;
      const send = async (method: string, p: string, body: unknown, as = 'sam-patel') => {
        const res = await fetch(`${t.base}/api/v1${p}`, { method, headers: { 'x-pt-local-user': as, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as { error: string; fields?: { field: string }[] } };
      };
      const before = storedState(t.db);
      for (const [body, field] of [[{}, 'text'], [{ text: 5 }, 'text'], [{ text: 'x', extra: 1 }, ''], [{ text: 'x'.repeat(3000) }, 'text']] as const) {
        const r = await send('POST', `/sessions/${session}/agenda/items`, body);
        expect(r.status).toBe(400);
        if (field) expect(r.body.error).toMatch(new RegExp(`Please check ${field}`));
      }
      expect((await send('POST', `/sessions/${session}/agenda/items/standing:support-wellbeing/discussed`, { discussed: 'yes' })).status).toBe(400);
      expect((await send('PUT', `/sessions/${session}/note`, { text: ['x'] })).status).toBe(400);
      expect((await send('POST', '/meeting/session', { chatId: '19:nothing' })).status).toBe(400);
      expect((await send('POST', '/meeting/session', { chatId: '19:meeting_unknown@thread.v2' })).status).toBe(404);
      expect((await send('GET', `/sessions/${session}/agenda`, undefined, 'grace-whitfield')).status).toBe(404);
      expect(storedState(t.db)).toBe(before);
      // And a good one is stored.
      expect((await send('POST', `/sessions/${session}/agenda/items`, { text: 'A real item' })).status).toBe(201);
    } finally {
      await t.stop();
    }
  });
});
