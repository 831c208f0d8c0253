/**
 * The SharePoint lists Protected Time keeps its data in (tenant mode), as data:
 * `pt provision` creates them from this, the SharePoint store reads and writes
 * them by it, and the contract tests check both against it.
 *
 * How the lists are laid out, and why:
 * - Each entity is one list item. Its JSON body (exactly what the embedded store
 *   keeps in its `body` columns) is in one plain multi-line text column, `ptBody`.
 *   Only the bodies of records, record versions, actions and agreements hold case
 *   detail (`holdsCaseDetail`); the others hold ids, times and states only, and
 *   the audit trail's detail is never content (model.ts, AuditEntry).
 * - The columns beside the body exist to be filtered on, so they are indexed:
 *   Graph filters list items on one indexed column at a time
 *   (api/listitem-list.md), and filtering on a column that is not indexed needs
 *   `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly` and fails on large
 *   lists. The store filters on one indexed column and checks the rest itself.
 * - `ptKey` is each item's identity: the SHA-256 of its natural key (record id,
 *   series id, ledger kind + key, card key + person...). SharePoint compares text
 *   without regard to case and limits single-line text to 255 characters; a hash
 *   is exact, fixed-length and unique-indexable, so "unique per id" and "claim
 *   once per kind and key" are enforced by SharePoint (enforceUniqueValues), not
 *   by a read-then-write race.
 * - `ptWriteId` marks who wrote an item, so a create that timed out can be looked
 *   for before it is sent again (the calendar adapter's rule: creates look before
 *   they retry).
 * - pt-people is the exception: admins maintain it by hand in SharePoint, so it
 *   has plain columns and no body. pt-leases has no body either: a lease is its
 *   key, owner and expiry.
 * - pt-outbox and pt-leases belong to the work queue (sharepointWorkQueue.ts):
 *   their state columns (availableAt, leaseOwner, leaseUntil, attempts) are the
 *   truth, written under If-Match, and instants are exact ISO text there.
 * - pt-qa-grades belongs to the quality store (sharepointQualityStore.ts): one
 *   item per grade, created once and never written again. Its body holds the
 *   auditor's comment, free text about a supervision record, so it is counted
 *   as case detail.
 * - pt-subscriptions and pt-calendar-delta belong to the subscription registry
 *   (sharepointSubscriptionRegistry.ts, tenant mode's Graph change detection):
 *   no body, every field a column of its own (exact ISO text for instants),
 *   marks written under If-Match, and `ptState` "deleted" instead of a delete.
 *
 * Column types map to Graph's columnDefinition facets (resources/columndefinition.md):
 * text → text {maxLength 255}, note → text {allowMultipleLines, plain},
 * number → number, dateTime → dateTime, boolean → boolean.
 */
import { APP_LISTS } from './appLists';

export type ColumnType = 'text' | 'note' | 'number' | 'dateTime' | 'boolean';

export interface ColumnSpec {
  /** The column's internal name (what $filter and fields use). */
  name: string;
  type: ColumnType;
  /** The store filters on it, so SharePoint must index it. */
  indexed?: boolean;
  /** SharePoint refuses a second item with the same value (needs `indexed`). */
  unique?: boolean;
  description: string;
}

export interface ListSpec {
  /** The list's URL name and display name (src/tenant/lists.ts uses the same names). */
  name: string;
  description: string;
  columns: ColumnSpec[];
  /** The column holding the entity's JSON body, if the list has one. */
  bodyColumn?: string;
  /** Whether bodies may hold case detail (what was discussed about children and families). */
  holdsCaseDetail: boolean;
  /** Whether the SharePoint adapters (store, work queue, quality store, subscription registry) read or write it (the others are provisioned for later features). */
  usedByStore: boolean;
}

/** Single-line text columns hold at most this many characters (resources/textcolumn.md). */
export const TEXT_MAX_LENGTH = 255;

export const KEY_COLUMN = 'ptKey';
export const BODY_COLUMN = 'ptBody';
export const WRITE_ID_COLUMN = 'ptWriteId';

const key = (of: string): ColumnSpec => ({ name: KEY_COLUMN, type: 'text', indexed: true, unique: true, description: `SHA-256 of ${of}: the item's identity, unique` });
const body = (of: string): ColumnSpec => ({ name: BODY_COLUMN, type: 'note', description: `JSON of the ${of}` });
const writeId: ColumnSpec = { name: WRITE_ID_COLUMN, type: 'text', description: 'Which write created the item (to look before retrying a create that timed out)' };
const text = (name: string, description: string, indexed = false): ColumnSpec => ({ name, type: 'text', ...(indexed ? { indexed: true } : {}), description });

export const LIST_SCHEMA: readonly ListSpec[] = [
  {
    name: 'pt-relationships',
    description: 'Protected Time: who supervises whom, under which policy',
    columns: [key('the relationship id'), text('supervisorId', 'Supervisor person id'), text('kind', 'individual or group'), text('policyId', 'Policy pack id'), text('staffGroupId', 'Staff group id'), { name: 'active', type: 'boolean', description: 'Whether the relationship is current' }, body('relationship, with its supervisees'), writeId],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-series',
    description: 'Protected Time: recurring bookings (one calendar series each)',
    columns: [
      key('the series id'),
      { name: 'ptRequestKey', type: 'text', indexed: true, unique: true, description: 'SHA-256 of the booking request key: the same request twice is the same series' },
      text('relationshipId', 'Relationship id', true),
      { name: 'firstStart', type: 'dateTime', description: 'First occurrence start (UTC)' },
      body('series'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-sessions',
    description: 'Protected Time: supervision sessions (times and states only)',
    columns: [
      key('the session id'),
      text('relationshipId', 'Relationship id', true),
      text('seriesId', 'Series id, for an occurrence of a series'),
      { name: 'startsAt', type: 'dateTime', indexed: true, description: 'Start (UTC)' },
      { name: 'endsAt', type: 'dateTime', indexed: true, description: 'End (UTC)' },
      text('status', 'planned, held, cancelled or missed'),
      text('kind', 'planned, urgent or rebooked'),
      body('session'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-agreements',
    description: 'Protected Time: supervision agreements',
    columns: [
      key('the agreement id'),
      text('relationshipId', 'Relationship id', true),
      text('templateId', 'Agreement template id'),
      // Text, not dateTime: "latest per relationship" compares the exact instant, and dateTime columns keep whole seconds.
      text('createdAt', 'When the agreement was created (ISO 8601 UTC)'),
      text('reviewOn', 'Review date (YYYY-MM-DD)'),
      text('status', 'draft or signed'),
      body('agreement (its values are case detail)'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
  {
    name: 'pt-records',
    description: 'Protected Time: supervision records (current version of each)',
    columns: [
      key('the record id'),
      text('sessionId', 'Session id', true),
      text('relationshipId', 'Relationship id', true),
      text('status', 'draft, submitted, changes-requested, signed or disagreed', true),
      { name: 'version', type: 'number', description: 'Version number (amendments to a signed record are new versions)' },
      { name: 'updatedAt', type: 'dateTime', description: 'Last change (UTC)' },
      body('record (case detail)'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
  {
    name: 'pt-record-versions',
    description: 'Protected Time: earlier versions of supervision records, kept unchanged',
    columns: [key('the record id and version'), text('recordId', 'Record id', true), { name: 'version', type: 'number', description: 'Version number' }, body('record version (case detail)'), writeId],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
  {
    name: 'pt-actions',
    description: 'Protected Time: actions agreed in supervision',
    columns: [
      key('the action id'),
      text('relationshipId', 'Relationship id', true),
      text('recordId', 'Record that agreed it', true),
      text('ownerId', 'Who does it', true),
      text('status', 'open, done or dropped', true),
      text('dueOn', 'Due date (YYYY-MM-DD)'),
      body('action (case detail)'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
  {
    name: 'pt-card-messages',
    description: 'Protected Time: cards the bot posted, to update or replace them',
    columns: [
      key('the card key and person'),
      text('cardKey', 'What the card is about, e.g. record:<record id>:<person id>', true),
      text('aadObjectId', 'Entra object id of the person it was posted to'),
      { name: 'postedAt', type: 'dateTime', description: 'When it was posted (UTC)' },
      body('posted card reference'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-ledger',
    description: 'Protected Time: work done exactly once (record cards, reminders)',
    columns: [key('the kind and key'), text('claimKind', 'Kind of work', true), text('claimKey', 'Which unit of work (first 255 characters)'), { name: 'claimedAt', type: 'dateTime', description: 'When it was claimed (UTC)' }, body('claim'), writeId],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-conversations',
    description: 'Protected Time: where the bot reaches each person in Teams',
    columns: [key('the Entra object id'), text('aadObjectId', 'Entra object id'), body('conversation reference'), writeId],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-audit',
    description: 'Protected Time: audit trail (who did what to which item; never content)',
    columns: [
      key('the entry id'),
      { name: 'at', type: 'dateTime', description: 'When (UTC)' },
      text('actorId', 'Who', true),
      text('action', 'What they did'),
      text('subjectType', 'What kind of item'),
      text('subjectId', 'Which item', true),
      body('audit entry (ids, times and counts; never content)'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-people',
    description: 'Protected Time: what only the app knows about people (roles, policy, staff group); maintained by admins',
    columns: [
      { name: 'aadObjectId', type: 'text', indexed: true, unique: true, description: 'Entra object id of the person' },
      text('roles', 'Roles, separated by ; (practitioner, supervisor, line-manager, safeguarding-lead, auditor)'),
      text('policyId', 'Policy pack they are supervised under'),
      text('staffGroupId', 'Staff group within the policy pack'),
      text('startedOn', 'Start in post (YYYY-MM-DD)'),
      text('lineManagerId', 'Line manager (Entra object id), when Entra has none or the wrong one'),
    ],
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    // The work queue's outbox (sharepointWorkQueue.ts): one item per (kind, key), leased by one worker at a time.
    name: 'pt-outbox',
    description: 'Protected Time: durable work waiting to be done (rebooking, digests), each once',
    columns: [
      key('the kind and key'),
      text('status', 'pending or done', true),
      { name: 'dueAt', type: 'dateTime', indexed: true, description: 'When it may be tried (UTC, whole seconds; availableAt is exact)' },
      body('work item: kind, key, payload, when it was queued'),
      writeId,
      text('kind', 'Kind of work (first 255 characters)'),
      text('workKey', 'Which unit of work (first 255 characters)'),
      // Filtered on (one indexed column): exactly the pending items of one kind, never the done ones piling up.
      text('ptQueue', 'Status and kind, e.g. pending:rebook (what the lease query filters on)', true),
      // Text, not dateTime: leases compare exact instants, and dateTime columns keep whole seconds.
      text('availableAt', 'When it may be tried (ISO 8601 UTC)'),
      text('leaseOwner', 'The worker holding it, while leased'),
      text('leaseUntil', 'Until when it is leased (ISO 8601 UTC)'),
      { name: 'attempts', type: 'number', description: 'Times it has been leased' },
      { name: 'lastError', type: 'note', description: 'Why the last attempt failed (no content)' },
      { name: 'ptResult', type: 'note', description: 'JSON of the result, once done' },
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    name: 'pt-reminders',
    description: 'Protected Time: reminders to send',
    columns: [key('the reminder id'), text('status', 'pending, sent or cancelled', true), { name: 'dueAt', type: 'dateTime', indexed: true, description: 'When to remind (UTC)' }, body('reminder'), writeId],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: false,
    usedByStore: false,
  },
  {
    // Mutual exclusion per key across instances (sharepointWorkQueue.ts acquireLease): one item per key, taken under If-Match.
    name: 'pt-leases',
    description: 'Protected Time: which instance is working on what, for how long',
    columns: [
      key('the lease key'),
      text('leaseKey', 'What is leased, e.g. reconcile:<relationship id> (first 255 characters)'),
      text('leaseOwner', 'The instance holding it'),
      // Text, not dateTime: an expired lease is one whose exact instant has passed.
      text('leaseUntil', 'Until when it is held (ISO 8601 UTC); empty once released'),
      writeId,
    ],
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    // The quality store (sharepointQualityStore.ts): append-only, one item per grade.
    name: 'pt-qa-grades',
    description: "Protected Time: quality-assurance grades of supervision records (the auditor's comment is in the body)",
    columns: [
      key('the grade id'),
      text('recordId', 'Record graded', true),
      text('relationshipId', 'Relationship of the record', true),
      text('auditorId', 'Auditor who graded it', true),
      text('category', 'challenge, support, maintain or promote'),
      { name: 'gradedAt', type: 'dateTime', indexed: true, description: 'When it was graded (UTC, whole seconds; the body has the exact instant)' },
      body("grade, with the auditor's comment (may hold case detail)"),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
  {
    // The subscription registry (sharepointSubscriptionRegistry.ts): Graph change notification subscriptions, one item each.
    name: 'pt-subscriptions',
    description: 'Protected Time: Graph change notification subscriptions on the calendars of the people in scope',
    columns: [
      key('the Graph subscription id'),
      text('subscriptionId', 'Graph subscription id'),
      text('personId', 'Whose calendar (person id: Entra object id)'),
      text('resource', 'The Graph resource, /users/{id}/events'),
      text('clientStateHash', 'SHA-256 (hex) of the clientState sent to Graph; the secret itself is kept nowhere'),
      // Text, not dateTime: exact instants, as the embedded registry keeps them.
      text('expiresAt', 'When Graph lets it lapse (ISO 8601 UTC)'),
      text('status', 'active, renew or removed'),
      text('createdAt', 'When it was created (ISO 8601 UTC)'),
      text('updatedAt', 'Last change (ISO 8601 UTC)'),
      text('ptState', 'held, or deleted once the app let go of it (the app deletes nothing in SharePoint)', true),
      writeId,
    ],
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    // The subscription registry's per-person half: calendarView delta cursor and change marks, one item per person.
    name: 'pt-calendar-delta',
    description: 'Protected Time: per person, where the calendar delta query got to and whether a change is waiting',
    columns: [
      key('the person id'),
      text('personId', 'Whose calendar (person id: Entra object id)'),
      { name: 'deltaLink', type: 'note', description: 'The @odata.deltaLink of the last finished delta round (longer than a text column)' },
      text('windowStart', 'Start of the calendarView window the delta rounds follow (ISO 8601 UTC)'),
      text('windowEnd', 'End of that window (ISO 8601 UTC)'),
      text('syncedAt', 'When the last delta round finished (ISO 8601 UTC)'),
      // Marks are compared exactly ("clear if at or before"): text, written under If-Match.
      text('notifiedAt', 'Latest change notification not yet taken by the change feed (ISO 8601 UTC)'),
      text('syncRequestedAt', 'When a delta sync was asked for (missed notifications, a removed subscription; ISO 8601 UTC)'),
      text('ptState', 'held, or deleted once the person left scope (the app deletes nothing in SharePoint)', true),
      writeId,
    ],
    holdsCaseDetail: false,
    usedByStore: true,
  },
  {
    // The agenda store (sharepointAgendaStore.ts): one item per agenda item, its text written once; the tick in columns of its own.
    name: 'pt-agenda',
    description: 'Protected Time: shared session agendas (the text is in the body and never rewritten)',
    columns: [
      key('the agenda item id'),
      text('relationshipId', 'Relationship of the session', true),
      text('sessionId', 'Session it was put on'),
      text('discussedIn', 'Session it was discussed in (empty: not yet)'),
      text('discussedAt', 'When it was marked discussed (ISO 8601 UTC)'),
      text('discussedBy', 'Who marked it discussed'),
      body('agenda item, with its text (case detail)'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
  {
    // The agenda store's private notes: one item per note and revision; an edit creates the new item and deletes the old (no text left in version history).
    name: 'pt-private-notes',
    description: "Protected Time: each person's private notes on a session, read only by their author",
    columns: [
      key('the note revision'),
      text('authorId', 'Who wrote it (the only reader)', true),
      text('sessionId', 'Session it is about'),
      text('updatedAt', 'When it was written (ISO 8601 UTC)'),
      body('note, with its text (case detail)'),
      writeId,
    ],
    bodyColumn: BODY_COLUMN,
    holdsCaseDetail: true,
    usedByStore: true,
  },
];

export type SchemaListName = (typeof LIST_SCHEMA)[number]['name'];

/** Lists the store needs that src/tenant/lists.ts (APP_LISTS, which `pt doctor` checks) does not name. */
export function listsMissingFromAppLists(): string[] {
  const known = new Set<string>(APP_LISTS);
  return LIST_SCHEMA.map((l) => l.name).filter((n) => !known.has(n));
}

export function listSpec(name: string): ListSpec {
  const spec = LIST_SCHEMA.find((l) => l.name === name);
  if (!spec) throw new Error(`no list ${name} in the SharePoint list schema`);
  return spec;
}

export function columnSpec(list: string, column: string): ColumnSpec {
  const spec = listSpec(list).columns.find((c) => c.name === column);
  if (!spec) throw new Error(`no column ${column} in list ${list}`);
  return spec;
}

/**
 * The columnDefinition Graph creates a column from (api/list-post-columns.md;
 * resources/columndefinition.md). Unique columns must be indexed.
 */
export function columnDefinition(c: ColumnSpec): Record<string, unknown> {
  const facet: Record<ColumnType, Record<string, unknown>> = {
    text: { text: { allowMultipleLines: false, maxLength: TEXT_MAX_LENGTH } },
    note: { text: { allowMultipleLines: true, appendChangesToExistingText: false, textType: 'plain' } },
    number: { number: { decimalPlaces: 'none' } },
    dateTime: { dateTime: { format: 'dateTime' } },
    boolean: { boolean: {} },
  };
  return {
    name: c.name,
    description: c.description,
    ...facet[c.type],
    ...(c.indexed || c.unique ? { indexed: true } : {}),
    ...(c.unique ? { enforceUniqueValues: true } : {}),
  };
}

/** The list Graph creates (api/list-create.md): a generic list with the app's columns. */
export function listDefinition(l: ListSpec): Record<string, unknown> {
  return { displayName: l.name, description: l.description, columns: l.columns.map(columnDefinition), list: { template: 'genericList' } };
}
