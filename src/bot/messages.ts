/**
 * Renders every message the use cases send (ports/messages) as its Adaptive
 * Card and notification summary. The composition root gives this to the Teams
 * notifier; the switch is exhaustive, so a new kind of message without a card
 * fails typecheck.
 */
import type { Message } from '../ports/messages';
import type { RenderedMessage } from '../ports/notifier';
import { digestCard, digestSummary } from './cards/digest';
import { moveNoticeCard, moveNoticeSummary } from './cards/moves';
import { peopleNoticeCard, peopleNoticeSummary } from './cards/peopleChange';
import { PRE_SESSION_SUMMARY, preSessionCard } from './cards/preSession';
import { escalationCard, rebookedCard, sessionNoticeCard, sessionNoticeWords } from './cards/rebook';
import { RECORD_CARD_SUMMARIES, countersignCard, disagreementNoticeCard, recordFormCard, recordSummaryCard, signedCopyCard } from './cards/record';
import type { Card } from './cards/common';

export interface RenderedCard extends RenderedMessage {
  card: Card;
}

export function renderMessage(m: Message): RenderedCard {
  switch (m.kind) {
    case 'record-form':
      return { card: recordFormCard(m.view), summary: RECORD_CARD_SUMMARIES.form };
    case 'record-changes-requested':
      return { card: recordFormCard(m.view), summary: RECORD_CARD_SUMMARIES.changesRequested };
    case 'record-countersign':
      return { card: countersignCard(m.view), summary: RECORD_CARD_SUMMARIES.countersign };
    case 'record-summary':
      return { card: recordSummaryCard(m.view), summary: RECORD_CARD_SUMMARIES.summary };
    case 'record-signed-copy':
      return { card: signedCopyCard(m), summary: RECORD_CARD_SUMMARIES.signedCopy };
    case 'record-disagreement':
      return { card: disagreementNoticeCard(m), summary: RECORD_CARD_SUMMARIES.disagreement };
    case 'rebooked':
      return { card: rebookedCard(m.view), summary: 'Supervision rebooked' };
    case 'rebook-escalation':
      return { card: escalationCard(m.view), summary: 'Supervision could not be rebooked' };
    case 'session-notice':
      return { card: sessionNoticeCard(m.notice), summary: sessionNoticeWords(m.notice).title };
    case 'digest':
      return { card: digestCard(m), summary: digestSummary(m.items.length + (m.more ?? 0)) };
    case 'people-notice':
      return { card: peopleNoticeCard(m.notice, m.tabUrl), summary: peopleNoticeSummary(m.notice) };
    case 'move-notice':
      return { card: moveNoticeCard(m.notice, m.tabUrl), summary: moveNoticeSummary(m.notice) };
    case 'pre-session':
      return { card: preSessionCard(m.notice, m.agendaUrl), summary: PRE_SESSION_SUMMARY };
  }
}
