/**
 * The record card's codec at the edge: a card verb and its Action.Execute data
 * (the buttons' data merged with every Input.* value) become a record request
 * for the use case, and the view it answers with becomes the card. Used by the
 * bot's card actions, its "open my record form" command and the tab's copy of
 * the card (the tab hosts the same Adaptive Card).
 */
import type { Person } from '../domain/model';
import { badRequest } from '../usecases/errors';
import type { NotifyContext } from '../usecases/rebooking';
import { handleRecordAction, type RecordOp, type RecordRequest, type RecordsDeps } from '../usecases/records';
import type { Card } from './cards/common';
import { COMMENT_INPUT_ID, RECORD_VERBS, recordViewCard } from './cards/record';
import { valuesFromCardInputs } from './cards/recordFields';

type RecordVerb = Exclude<(typeof RECORD_VERBS)[keyof typeof RECORD_VERBS], typeof RECORD_VERBS.actionDone>;

/** Which request each record verb is. */
export const RECORD_VERB_OPS: { readonly [V in RecordVerb]: RecordOp } = {
  [RECORD_VERBS.save]: 'save',
  [RECORD_VERBS.submit]: 'submit',
  [RECORD_VERBS.addAction]: 'add-action',
  [RECORD_VERBS.removeAction]: 'remove-action',
  [RECORD_VERBS.refresh]: 'view',
  [RECORD_VERBS.countersign]: 'countersign',
  [RECORD_VERBS.requestChanges]: 'request-changes',
  [RECORD_VERBS.disagree]: 'disagree',
  [RECORD_VERBS.useForm]: 'use-form',
};

export const RECORD_CARD_VERBS = Object.keys(RECORD_VERB_OPS) as RecordVerb[];

const isRecordVerb = (verb: string): verb is RecordVerb => Object.hasOwn(RECORD_VERB_OPS, verb);

/** A record request from a card's verb and data. */
export function recordRequestFromCard(verb: string, data: Record<string, unknown>): RecordRequest {
  if (!isRecordVerb(verb)) throw badRequest('Unknown record action');
  if (typeof data.recordId !== 'string' || !data.recordId) throw badRequest('This card is missing its record');
  const rows = Number.isFinite(Number(data.rows)) ? Number(data.rows) : 0;
  return {
    op: RECORD_VERB_OPS[verb],
    recordId: data.recordId,
    ...(data.etag !== undefined ? { etag: String(data.etag) } : {}),
    rows,
    ...(data.templateId !== undefined ? { templateId: String(data.templateId) } : {}),
    ...(data[COMMENT_INPUT_ID] !== undefined ? { comment: String(data[COMMENT_INPUT_ID]) } : {}),
    answers: (template, stored, count) => valuesFromCardInputs(template, data, count, stored),
  };
}

/** Runs a record card's verb for `actor` and answers with the card to show them. */
export async function recordCardAction(services: RecordsDeps, notify: NotifyContext, actor: Person, verb: string, data: Record<string, unknown>): Promise<Card> {
  return recordViewCard(await handleRecordAction(services, notify, actor, recordRequestFromCard(verb, data)));
}
