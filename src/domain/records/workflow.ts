/**
 * The supervision record's life (pure: `now` is passed in, nothing is read or written).
 *
 *   draft ──submit──▶ submitted ──countersign (every other party)──▶ signed      (locked)
 *     ▲                  │ └──────disagree (another party)──────────▶ disagreed   (locked)
 *     │                  └──request-changes──▶ changes-requested ──submit──▶ submitted
 *   amend (signed/disagreed → version + 1, a draft)
 *
 * The recorder (policy.records.recorder: supervisor, supervisee or either party)
 * writes and submits; another party countersigns, asks for changes, or records a
 * disagreement (which notifies per policy.records.disagreementNotifies). When the
 * policy asks for no countersignature, submitting signs and locks. A signed or
 * disagreed version never changes: amending starts the next version as a draft.
 *
 * In a group, "the other party" is everyone else in it: the record is signed when
 * every member has signed; any member but the submitter may ask for changes or
 * disagree. Repeating the command that produced the current state (a second click)
 * changes nothing and emits nothing. Events carry no case detail.
 */
import type { ActionItem, Relationship, Signature, SupervisionRecord } from '../model';
import type { EscalationTarget, PolicyPack, RecordTemplate } from '../policy/schema';
import { type ActionRow, type FieldError, actionRowsOf, validateSubmission } from './validation';

export type Recorder = 'supervisor' | 'supervisee' | 'either';
export type PartyRole = 'supervisor' | 'supervisee';

export type RecordCommand =
  | { kind: 'save-draft'; values: Record<string, unknown> }
  | { kind: 'submit'; values: Record<string, unknown> }
  | { kind: 'countersign' }
  | { kind: 'request-changes'; comment: string }
  | { kind: 'disagree'; text: string }
  | { kind: 'amend' };

export type RecordEvent =
  /** The record awaits these people's countersignature. */
  | { kind: 'submitted'; notify: string[] }
  /** The record is back with its author. */
  | { kind: 'changes-requested'; notify: string[] }
  /** Signed by everyone (or by the author, when the policy asks no countersignature). */
  | { kind: 'signed'; copyTo: string[] }
  /** Final with a recorded disagreement: tell `notifyTargets`; `copyTo` get their copy as for a signed record. */
  | { kind: 'disagreed'; notifyTargets: EscalationTarget[]; copyTo: string[] }
  | { kind: 'amended' };

export interface RecordCommandInput {
  record: SupervisionRecord;
  command: RecordCommand;
  actorId: string;
  relationship: Relationship;
  policy: PolicyPack;
  template: RecordTemplate;
  /** ISO instant (UTC). */
  now: string;
}

export type RecordErrorCode = 'forbidden' | 'invalid' | 'locked' | 'wrong-state';

export type RecordCommandResult =
  | { ok: true; record: SupervisionRecord; events: RecordEvent[]; unchanged?: boolean }
  | { ok: false; error: string; code: RecordErrorCode; fieldErrors?: FieldError[] };

/** Where a change request lives in a record's values until the author resubmits (never a template field id: those start with a letter). */
export const CHANGE_REQUEST_KEY = '_changeRequest';
export interface ChangeRequest {
  byId: string;
  at: string;
  comment: string;
}

export const COMMENT_MAX = 2000;
export const DISAGREEMENT_MAX = 4000;

/** Who writes records under this policy for this relationship. In a group, "supervisee" means any supervisee. */
export function recorderFor(policy: PolicyPack, relationship: Relationship): Recorder {
  void relationship; // the same for individual and group supervision; kept for per-relationship rules
  return policy.records.recorder;
}

export function partyRole(relationship: Relationship, personId: string): PartyRole | undefined {
  if (relationship.supervisorId === personId) return 'supervisor';
  if (relationship.superviseeIds.includes(personId)) return 'supervisee';
  return undefined;
}

export function partiesOf(relationship: Relationship): string[] {
  return [relationship.supervisorId, ...relationship.superviseeIds.filter((id) => id !== relationship.supervisorId)];
}

/** The people the policy lets write the record: who gets the form card after a session. */
export function recorderIds(policy: PolicyPack, relationship: Relationship): string[] {
  const recorder = recorderFor(policy, relationship);
  if (recorder === 'supervisor') return [relationship.supervisorId];
  if (recorder === 'supervisee') return [...relationship.superviseeIds];
  return partiesOf(relationship);
}

/** A new, empty record for a held session (version 1, a draft; the store gives it an etag). */
export function draftRecord(input: {
  id: string;
  sessionId: string;
  relationship: Relationship;
  policy: PolicyPack;
  templateId?: string;
  now: string;
  values?: Record<string, unknown>;
}): SupervisionRecord {
  const { relationship, policy } = input;
  return {
    id: input.id,
    sessionId: input.sessionId,
    relationshipId: relationship.id,
    templateId: input.templateId ?? policy.records.template,
    version: 1,
    status: 'draft',
    authorId: recorderIds(policy, relationship)[0] ?? relationship.supervisorId,
    values: input.values ?? {},
    signatures: [],
    createdAt: input.now,
    updatedAt: input.now,
    etag: '',
  };
}

export function isLocked(record: SupervisionRecord): boolean {
  return record.status === 'signed' || record.status === 'disagreed';
}

export function changeRequestOf(record: SupervisionRecord): ChangeRequest | undefined {
  const cr = record.values[CHANGE_REQUEST_KEY];
  if (!cr || typeof cr !== 'object') return undefined;
  const c = cr as Partial<ChangeRequest>;
  return typeof c.byId === 'string' && typeof c.at === 'string' && typeof c.comment === 'string' ? { byId: c.byId, at: c.at, comment: c.comment } : undefined;
}

/** Values equal as JSON, whatever the key order. */
export function sameValues(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

const fail = (code: RecordErrorCode, error: string, fieldErrors?: FieldError[]): RecordCommandResult =>
  fieldErrors ? { ok: false, code, error, fieldErrors } : { ok: false, code, error };

function withoutKeys<T extends object>(o: T, ...keys: (keyof T)[]): T {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

function withoutChangeRequest(values: Record<string, unknown>): Record<string, unknown> {
  const { [CHANGE_REQUEST_KEY]: _dropped, ...rest } = values;
  return rest;
}

const LOCKED_MESSAGE = 'This record is signed and can no longer change. Amend it to start a new version.';

export function applyRecordCommand(input: RecordCommandInput): RecordCommandResult {
  const { record, command, actorId, relationship, policy, template, now } = input;
  if (record.relationshipId !== relationship.id) return fail('invalid', 'This record belongs to another supervision arrangement');
  if (record.templateId !== template.id) return fail('invalid', `This record uses template "${record.templateId}", not "${template.id}"`);
  const role = partyRole(relationship, actorId);
  if (!role) return fail('forbidden', 'Only the people in this supervision can act on its record');

  const others = partiesOf(relationship).filter((id) => id !== actorId);
  const writers = new Set([...recorderIds(policy, relationship), record.authorId]);
  const copyTo = policy.records.superviseeCopy ? [...relationship.superviseeIds] : [];
  const signature: Signature = { personId: actorId, role, at: now };
  const hasSigned = (id: string) => record.signatures.some((s) => s.personId === id);
  const unchanged = (): RecordCommandResult => ({ ok: true, record, events: [], unchanged: true });
  const done = (next: SupervisionRecord, events: RecordEvent[]): RecordCommandResult => ({ ok: true, record: { ...next, updatedAt: now }, events });
  const mayWrite = (): RecordCommandResult | undefined => {
    if (isLocked(record)) return fail('locked', LOCKED_MESSAGE);
    if (record.status === 'submitted') return fail('wrong-state', 'This record has been submitted and is waiting for countersignature');
    if (!writers.has(actorId)) {
      const who = recorderFor(policy, relationship);
      return fail('forbidden', `Under this policy the ${who === 'either' ? 'author' : who} writes the record; you countersign it once it is submitted`);
    }
    return undefined;
  };

  switch (command.kind) {
    case 'save-draft': {
      const refused = mayWrite();
      if (refused) return refused;
      const parsed = validateSubmission(template, command.values, 'draft');
      if (!parsed.ok) return fail('invalid', 'Some answers need attention', parsed.errors);
      const cr = record.values[CHANGE_REQUEST_KEY];
      const values = cr === undefined ? parsed.values : { ...parsed.values, [CHANGE_REQUEST_KEY]: cr };
      if (sameValues(values, record.values) && record.authorId === actorId) return unchanged();
      return done({ ...record, values, authorId: actorId }, []);
    }

    case 'submit': {
      const parsed = validateSubmission(template, command.values, 'submit');
      const submittedBefore = record.status === 'submitted' || (record.status === 'signed' && !policy.records.countersign && record.signatures.length === 1);
      if (submittedBefore && record.authorId === actorId && hasSigned(actorId) && parsed.ok && sameValues(parsed.values, record.values)) return unchanged();
      const refused = mayWrite();
      if (refused) return refused;
      if (!parsed.ok) return fail('invalid', 'Some answers need attention', parsed.errors);
      const ownerErrors = ownerProblems(template, parsed.values, relationship);
      if (ownerErrors.length) return fail('invalid', 'Some answers need attention', ownerErrors);
      const base = withoutKeys({ ...record, values: parsed.values, authorId: actorId, submittedAt: now, signatures: [signature] }, 'disagreement');
      if (!policy.records.countersign) return done({ ...base, status: 'signed' }, [{ kind: 'signed', copyTo }]);
      return done({ ...base, status: 'submitted' }, [{ kind: 'submitted', notify: others }]);
    }

    case 'countersign': {
      if ((record.status === 'signed' || record.status === 'submitted') && actorId !== record.authorId && hasSigned(actorId)) return unchanged();
      if (isLocked(record)) return fail('locked', LOCKED_MESSAGE);
      if (record.status !== 'submitted') return fail('wrong-state', 'This record has not been submitted yet');
      if (actorId === record.authorId) return fail('forbidden', 'You submitted this record; the other party countersigns it');
      const signatures = [...record.signatures, signature];
      const signedIds = new Set(signatures.map((s) => s.personId));
      if (partiesOf(relationship).every((id) => signedIds.has(id))) return done({ ...record, signatures, status: 'signed' }, [{ kind: 'signed', copyTo }]);
      return done({ ...record, signatures }, []);
    }

    case 'request-changes': {
      const comment = typeof command.comment === 'string' ? command.comment.trim() : '';
      const current = changeRequestOf(record);
      if (record.status === 'changes-requested' && current?.byId === actorId && current.comment === comment) return unchanged();
      if (isLocked(record)) return fail('locked', LOCKED_MESSAGE);
      if (record.status !== 'submitted') return fail('wrong-state', 'Only a submitted record can be sent back for changes');
      if (actorId === record.authorId) return fail('forbidden', 'You submitted this record; the other party reviews it');
      if (!comment) return fail('invalid', 'Say what needs to change', [{ fieldId: 'comment', message: 'Say what needs to change' }]);
      if (comment.length > COMMENT_MAX) return fail('invalid', `The comment is too long (at most ${COMMENT_MAX} characters)`, [{ fieldId: 'comment', message: `The comment is too long (${comment.length} characters; at most ${COMMENT_MAX})` }]);
      const cr: ChangeRequest = { byId: actorId, at: now, comment };
      const next = withoutKeys({ ...record, status: 'changes-requested' as const, signatures: [], values: { ...record.values, [CHANGE_REQUEST_KEY]: cr } }, 'submittedAt');
      return done(next, [{ kind: 'changes-requested', notify: [record.authorId] }]);
    }

    case 'disagree': {
      const text = typeof command.text === 'string' ? command.text.trim() : '';
      if (record.status === 'disagreed' && record.disagreement?.byId === actorId && record.disagreement.text === text) return unchanged();
      if (isLocked(record)) return fail('locked', LOCKED_MESSAGE);
      if (record.status !== 'submitted') return fail('wrong-state', 'A disagreement is recorded when signing a submitted record');
      if (actorId === record.authorId) return fail('forbidden', 'You submitted this record; a disagreement is recorded by the other party');
      if (!text) return fail('invalid', 'Say what you disagree with', [{ fieldId: 'comment', message: 'Say what you disagree with' }]);
      if (text.length > DISAGREEMENT_MAX) return fail('invalid', `The disagreement is too long (at most ${DISAGREEMENT_MAX} characters)`, [{ fieldId: 'comment', message: `The disagreement is too long (${text.length} characters; at most ${DISAGREEMENT_MAX})` }]);
      const next: SupervisionRecord = {
        ...record,
        status: 'disagreed',
        signatures: [...record.signatures.filter((s) => s.personId !== actorId), signature],
        disagreement: { byId: actorId, at: now, text },
      };
      return done(next, [{ kind: 'disagreed', notifyTargets: [...policy.records.disagreementNotifies], copyTo }]);
    }

    case 'amend': {
      if (!isLocked(record)) {
        if (record.status === 'draft' && record.version > 1 && record.authorId === actorId && record.signatures.length === 0 && !record.submittedAt) return unchanged();
        return fail('wrong-state', 'Only a signed record can be amended; this one can still be edited');
      }
      const next = withoutKeys(
        { ...record, version: record.version + 1, status: 'draft' as const, authorId: actorId, values: withoutChangeRequest(record.values), signatures: [] },
        'submittedAt',
        'disagreement',
      );
      return done(next, [{ kind: 'amended' }]);
    }
  }
}

/** An action owned by a person id must be owned by someone in the supervision. */
function ownerProblems(template: RecordTemplate, values: Record<string, unknown>, relationship: Relationship): FieldError[] {
  const problems: FieldError[] = [];
  for (const field of template.fields.filter((f) => f.type === 'actions')) {
    actionRowsOf(values, field.id).forEach((row, i) => {
      if (row.ownerId && !partyRole(relationship, row.ownerId)) {
        problems.push({ fieldId: field.id, row: i, part: 'owner', message: `Action ${i + 1}: the owner must be someone in this supervision` });
      }
    });
  }
  return problems;
}

/**
 * The agreed actions of a (signed) record as items of their own, status open.
 * Ids are stable: `<record id>:v<version>:<field id>:<row>` (plus `:<person id>` when
 * an action owned by "the supervisee" in a group becomes one item per supervisee).
 */
export function actionsFromRecord(record: SupervisionRecord, relationship: Relationship, now: string, template?: RecordTemplate): ActionItem[] {
  void now; // items carry no creation time; kept so callers need not change when they do
  const fieldIds = template
    ? template.fields.filter((f) => f.type === 'actions').map((f) => f.id)
    : Object.keys(record.values).filter((k) => Array.isArray(record.values[k]) && actionRowsOf(record.values, k).some(isCompleteRow));
  const items: ActionItem[] = [];
  for (const fieldId of fieldIds) {
    actionRowsOf(record.values, fieldId).forEach((row, i) => {
      if (!isCompleteRow(row)) return;
      const base = `${record.id}:v${record.version}:${fieldId}:${i}`;
      const owners = row.ownerId ? [row.ownerId] : row.ownerRole === 'supervisor' ? [relationship.supervisorId] : relationship.superviseeIds;
      const split = owners.length > 1;
      for (const ownerId of owners) {
        items.push({
          id: split ? `${base}:${ownerId}` : base,
          relationshipId: record.relationshipId,
          sessionId: record.sessionId,
          recordId: record.id,
          text: row.text,
          ownerId,
          dueOn: row.dueOn,
          ...(row.outcomeForChild ? { outcomeForChild: row.outcomeForChild } : {}),
          status: 'open',
        });
      }
    });
  }
  return items;
}

function isCompleteRow(row: Partial<ActionRow>): row is ActionRow {
  return typeof row.text === 'string' && row.text.length > 0 && typeof row.dueOn === 'string' && (Boolean(row.ownerId) || row.ownerRole === 'supervisor' || row.ownerRole === 'supervisee');
}

export type ActionDoneResult = { ok: true; action: ActionItem; unchanged?: boolean } | { ok: false; code: 'forbidden' | 'wrong-state'; error: string };

/** The owner marks their action done (a second click changes nothing). */
export function markActionDone(action: ActionItem, actorId: string, now: string): ActionDoneResult {
  if (action.ownerId !== actorId) return { ok: false, code: 'forbidden', error: 'Only the person who owns this action can mark it done' };
  if (action.status === 'done') return { ok: true, action, unchanged: true };
  if (action.status !== 'open') return { ok: false, code: 'wrong-state', error: 'This action was dropped' };
  return { ok: true, action: { ...action, status: 'done', completedAt: now } };
}
