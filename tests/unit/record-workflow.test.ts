/**
 * The record state machine: who may do what, when; idempotent repeats; locking
 * after signing or disagreement; amendments as new versions; events without
 * case detail; agreed actions as items.
 */
import path from 'node:path';
import { loadPolicies } from '../../src/config/policies';
import type { ActionItem, Relationship, SupervisionRecord } from '../../src/domain/model';
import type { PolicyPack, RecordTemplate } from '../../src/domain/policy/schema';
import { builtinTemplates } from '../../src/domain/policy/validate';
import {
  CHANGE_REQUEST_KEY,
  type RecordCommand,
  type RecordCommandResult,
  type Recorder,
  actionsFromRecord,
  applyRecordCommand,
  changeRequestOf,
  draftRecord,
  markActionDone,
  recorderFor,
  recorderIds,
} from '../../src/domain/records/workflow';

const PACKS = loadPolicies(path.join(__dirname, '..', '..', 'policies'));
const BASE: PolicyPack = PACKS.get('staffordshire-stoke-icb')!;
const TEMPLATE: RecordTemplate = builtinTemplates.find((t) => t.id === 'staffordshire-record')!;
const MARKER = 'ZQXMARKER';
const T0 = '2026-11-23T11:00:00.000Z';
const T1 = '2026-11-23T12:00:00.000Z';
const T2 = '2026-11-24T09:00:00.000Z';

const SUP = 'sup';
const SEE = 'see';
const OUT = 'outsider';

const individual: Relationship = { id: 'rel-1', kind: 'individual', supervisorId: SUP, superviseeIds: [SEE], policyId: BASE.id, staffGroupId: BASE.staffGroups[0]!.id, startedOn: '2026-01-01', active: true };
const group: Relationship = { ...individual, id: 'rel-g', kind: 'group', superviseeIds: ['g1', 'g2', 'g3'] };

function policy(over: Partial<PolicyPack['records']> = {}): PolicyPack {
  return { ...BASE, records: { ...BASE.records, template: TEMPLATE.id, ...over } };
}

const VALUES = {
  date: '2026-11-23',
  supervisor: 'Alex Morgan',
  supervisee: 'Jordan Lee',
  concerns: `${MARKER} worried about the baby`,
  discussion: `${MARKER} discussion`,
  actions: [{ text: `${MARKER} ring the school`, ownerRole: 'supervisee', dueOn: '2026-12-01' }],
};

function newRecord(rel: Relationship = individual, p: PolicyPack = policy(), over: Partial<SupervisionRecord> = {}): SupervisionRecord {
  return { ...draftRecord({ id: 'rec-1', sessionId: 'ses-1', relationship: rel, policy: p, now: T0 }), etag: 'etag-0', ...over };
}

interface Ctx {
  record: SupervisionRecord;
  rel?: Relationship;
  p?: PolicyPack;
}
function run(ctx: Ctx, actorId: string, command: RecordCommand, now = T1): RecordCommandResult {
  return applyRecordCommand({ record: ctx.record, command, actorId, relationship: ctx.rel ?? individual, policy: ctx.p ?? policy(), template: TEMPLATE, now });
}
function ok(r: RecordCommandResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.error}`);
  return r;
}
/** Applies a sequence of commands, each of which must succeed; returns the final record. */
function through(ctx: Ctx, steps: [string, RecordCommand][]): SupervisionRecord {
  let record = ctx.record;
  for (const [actor, command] of steps) record = ok(run({ ...ctx, record }, actor, command)).record;
  return record;
}

const submit: RecordCommand = { kind: 'submit', values: VALUES };
const save: RecordCommand = { kind: 'save-draft', values: { concerns: `${MARKER} half written` } };
const countersign: RecordCommand = { kind: 'countersign' };
const changes: RecordCommand = { kind: 'request-changes', comment: `${MARKER} please add the date` };
const disagree: RecordCommand = { kind: 'disagree', text: `${MARKER} that is not what we agreed` };
const amend: RecordCommand = { kind: 'amend' };

describe('recorderFor', () => {
  it.each(['supervisor', 'supervisee', 'either'] as Recorder[])('follows the policy (%s)', (recorder) => {
    expect(recorderFor(policy({ recorder }), individual)).toBe(recorder);
    expect(recorderFor(policy({ recorder }), group)).toBe(recorder);
  });

  it('gives the people who get the form card', () => {
    expect(recorderIds(policy({ recorder: 'supervisor' }), individual)).toEqual([SUP]);
    expect(recorderIds(policy({ recorder: 'supervisee' }), individual)).toEqual([SEE]);
    expect(recorderIds(policy({ recorder: 'either' }), individual)).toEqual([SUP, SEE]);
    expect(recorderIds(policy({ recorder: 'supervisee' }), group)).toEqual(['g1', 'g2', 'g3']);
  });

  it('the shipped packs choose as their texts say', () => {
    expect(recorderFor(PACKS.get('staffordshire-stoke-icb')!, individual)).toBe('supervisee');
    expect(recorderFor(PACKS.get('lingfield-education-trust')!, individual)).toBe('supervisor');
    expect(recorderFor(PACKS.get('westmorland-furness-scp')!, individual)).toBe('either');
  });

  it('a new record is a version-1 draft authored by the (first) recorder', () => {
    const r = draftRecord({ id: 'rec-9', sessionId: 's', relationship: individual, policy: policy({ recorder: 'supervisee' }), now: T0 });
    expect(r).toMatchObject({ id: 'rec-9', version: 1, status: 'draft', authorId: SEE, templateId: TEMPLATE.id, signatures: [], values: {}, createdAt: T0 });
  });
});

describe.each([
  ['supervisor', SUP, SEE],
  ['supervisee', SEE, SUP],
  ['either (supervisor writes)', SUP, SEE],
  ['either (supervisee writes)', SEE, SUP],
] as const)('recorder %s', (name, writer, other) => {
  const recorder = name.split(' ')[0] as Recorder;

  describe.each([true, false])('countersign %s', (needsCountersign) => {
    const p = policy({ recorder, countersign: needsCountersign });
    const ctx = (record = newRecord(individual, p)): Ctx => ({ record, p });

    it('the writer saves a draft (values validated as a draft) and nothing is announced', () => {
      const r = ok(run(ctx(), writer, save));
      expect(r.record).toMatchObject({ status: 'draft', values: { concerns: `${MARKER} half written` }, authorId: writer, updatedAt: T1 });
      expect(r.events).toEqual([]);
    });

    it('only the writer may save or submit; outsiders may do nothing', () => {
      if (recorder !== 'either') {
        expect(run(ctx(), other, save)).toMatchObject({ ok: false, code: 'forbidden' });
        expect(run(ctx(), other, submit)).toMatchObject({ ok: false, code: 'forbidden' });
      } else {
        expect(ok(run(ctx(), other, save)).record.authorId).toBe(other);
      }
      for (const command of [save, submit, countersign, changes, disagree, amend]) expect(run(ctx(), OUT, command)).toMatchObject({ ok: false, code: 'forbidden' });
    });

    it('submit signs for the writer and either awaits countersignature or signs and locks', () => {
      const r = ok(run(ctx(), writer, submit));
      const role = writer === SUP ? 'supervisor' : 'supervisee';
      expect(r.record.signatures).toEqual([{ personId: writer, role, at: T1 }]);
      expect(r.record.submittedAt).toBe(T1);
      if (needsCountersign) {
        expect(r.record.status).toBe('submitted');
        expect(r.events).toEqual([{ kind: 'submitted', notify: [other] }]);
      } else {
        expect(r.record.status).toBe('signed');
        expect(r.events).toEqual([{ kind: 'signed', copyTo: [SEE] }]);
        expect(run(ctx(r.record), writer, save)).toMatchObject({ ok: false, code: 'locked' });
      }
    });

    if (!needsCountersign) return;

    it('the other party countersigns: signed by both, the supervisee gets a copy', () => {
      const submitted = through(ctx(), [[writer, submit]]);
      const r = ok(run(ctx(submitted), other, countersign, T2));
      expect(r.record.status).toBe('signed');
      expect(r.record.signatures.map((s) => [s.personId, s.role, s.at])).toEqual([
        [writer, writer === SUP ? 'supervisor' : 'supervisee', T1],
        [other, other === SUP ? 'supervisor' : 'supervisee', T2],
      ]);
      expect(r.events).toEqual([{ kind: 'signed', copyTo: [SEE] }]);
    });

    it('the submitter cannot countersign, ask for changes on, or disagree with their own record', () => {
      const submitted = through(ctx(), [[writer, submit]]);
      for (const command of [countersign, changes, disagree]) expect(run(ctx(submitted), writer, command)).toMatchObject({ ok: false, code: 'forbidden' });
    });

    it('ask for changes: back to the author with the comment; resubmitting clears it', () => {
      const submitted = through(ctx(), [[writer, submit]]);
      const r = ok(run(ctx(submitted), other, changes));
      expect(r.record.status).toBe('changes-requested');
      expect(r.record.signatures).toEqual([]);
      expect(r.record.submittedAt).toBeUndefined();
      expect(changeRequestOf(r.record)).toEqual({ byId: other, at: T1, comment: `${MARKER} please add the date` });
      expect(r.events).toEqual([{ kind: 'changes-requested', notify: [writer] }]);
      // a draft save keeps the comment on view; the resubmission drops it
      const saved = ok(run(ctx(r.record), writer, { kind: 'save-draft', values: VALUES })).record;
      expect(changeRequestOf(saved)).toEqual({ byId: other, at: T1, comment: `${MARKER} please add the date` });
      const again = ok(run(ctx(saved), writer, submit, T2));
      expect(again.record.status).toBe('submitted');
      expect(again.record.values[CHANGE_REQUEST_KEY]).toBeUndefined();
      expect(again.events).toEqual([{ kind: 'submitted', notify: [other] }]);
    });

    it('a disagreement signs the record as final, recorded, and notifies per policy', () => {
      const submitted = through(ctx(), [[writer, submit]]);
      const r = ok(run(ctx(submitted), other, disagree, T2));
      expect(r.record.status).toBe('disagreed');
      expect(r.record.signatures.map((s) => s.personId)).toEqual([writer, other]);
      expect(r.record.disagreement).toEqual({ byId: other, at: T2, text: `${MARKER} that is not what we agreed` });
      expect(r.events).toEqual([{ kind: 'disagreed', notifyTargets: p.records.disagreementNotifies, copyTo: [SEE] }]);
    });
  });
});

describe('state rules', () => {
  const p = policy({ recorder: 'supervisee' });
  const ctx = (record: SupervisionRecord): Ctx => ({ record, p });
  const draft = newRecord(individual, p);
  const submitted = through(ctx(draft), [[SEE, submit]]);
  const signed = through(ctx(submitted), [[SUP, countersign]]);
  const disagreed = through(ctx(submitted), [[SUP, disagree]]);

  it('countersign, changes and disagreement need a submitted record', () => {
    for (const command of [countersign, changes, disagree]) expect(run(ctx(draft), SUP, command)).toMatchObject({ ok: false, code: 'wrong-state' });
  });

  it('a submitted record cannot be edited or resubmitted with other values', () => {
    expect(run(ctx(submitted), SEE, save)).toMatchObject({ ok: false, code: 'wrong-state' });
    expect(run(ctx(submitted), SEE, { kind: 'submit', values: { ...VALUES, concerns: 'different' } })).toMatchObject({ ok: false, code: 'wrong-state' });
  });

  it.each([
    ['signed', signed],
    ['disagreed', disagreed],
  ])('a %s record is locked: everything but amend fails', (_name, record) => {
    for (const [actor, command] of [
      [SEE, save],
      [SEE, { kind: 'submit', values: { ...VALUES, concerns: 'different' } }],
      [SEE, countersign],
      [SUP, changes],
      [SEE, disagree],
      [SUP, { kind: 'disagree', text: 'something else' }],
    ] as [string, RecordCommand][]) {
      expect(run(ctx(record), actor, command)).toMatchObject({ ok: false, code: 'locked' });
    }
  });

  it('amend is only for a signed record', () => {
    expect(run(ctx(draft), SEE, amend)).toMatchObject({ ok: false, code: 'wrong-state' });
    expect(run(ctx(submitted), SUP, amend)).toMatchObject({ ok: false, code: 'wrong-state' });
  });

  it('amend (by either party) starts version 2 as a draft with the values, no signatures', () => {
    for (const [record, actor] of [[signed, SUP], [disagreed, SEE]] as const) {
      const r = ok(run(ctx(record), actor, amend, T2));
      expect(r.record).toMatchObject({ id: 'rec-1', version: 2, status: 'draft', authorId: actor, values: signed.values, signatures: [], updatedAt: T2 });
      expect(r.record.submittedAt).toBeUndefined();
      expect(r.record.disagreement).toBeUndefined();
      expect(r.events).toEqual([{ kind: 'amended' }]);
      // the signed version itself is untouched
      expect(record.status).not.toBe('draft');
    }
  });

  it('the party who amends writes the new version; the other countersigns it', () => {
    const v2 = through(ctx(signed), [[SUP, amend], [SUP, { kind: 'save-draft', values: { ...VALUES, concerns: 'corrected' } }], [SUP, { kind: 'submit', values: { ...VALUES, concerns: 'corrected' } }]]);
    expect(v2).toMatchObject({ version: 2, status: 'submitted', authorId: SUP });
    const r = ok(run(ctx(v2), SEE, countersign));
    expect(r.record).toMatchObject({ version: 2, status: 'signed', values: { concerns: 'corrected' } });
  });

  it('invalid answers are refused with field errors on submit; drafts only check what is there', () => {
    const r = run(ctx(draft), SEE, { kind: 'submit', values: { concerns: '' } });
    expect(r).toMatchObject({ ok: false, code: 'invalid' });
    expect(!r.ok && r.fieldErrors).toEqual(expect.arrayContaining([{ fieldId: 'concerns', message: 'Concerns / issues is required' }]));
    expect(run(ctx(draft), SEE, { kind: 'save-draft', values: { date: '2026-02-30' } })).toMatchObject({ ok: false, code: 'invalid', fieldErrors: [{ fieldId: 'date', message: 'Date must be a real date' }] });
  });

  it('an action owned by someone outside the supervision is refused', () => {
    const r = run(ctx(draft), SEE, { kind: 'submit', values: { ...VALUES, actions: [{ text: 'x', ownerId: OUT, dueOn: '2026-12-01' }] } });
    expect(r).toMatchObject({ ok: false, code: 'invalid', fieldErrors: [{ fieldId: 'actions', row: 0, part: 'owner', message: 'Action 1: the owner must be someone in this supervision' }] });
    expect(ok(run(ctx(draft), SEE, { kind: 'submit', values: { ...VALUES, actions: [{ text: 'x', ownerId: SUP, dueOn: '2026-12-01' }] } })).record.status).toBe('submitted');
  });

  it('changes and disagreements need words', () => {
    expect(run(ctx(submitted), SUP, { kind: 'request-changes', comment: '  ' })).toMatchObject({ ok: false, code: 'invalid', fieldErrors: [{ fieldId: 'comment' }] });
    expect(run(ctx(submitted), SUP, { kind: 'disagree', text: '' })).toMatchObject({ ok: false, code: 'invalid', fieldErrors: [{ fieldId: 'comment' }] });
    expect(run(ctx(submitted), SUP, { kind: 'disagree', text: 'x'.repeat(4001) })).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('refuses a record of another relationship or template', () => {
    expect(run({ record: { ...draft, relationshipId: 'other' }, p }, SEE, save)).toMatchObject({ ok: false, code: 'invalid' });
    expect(run({ record: { ...draft, templateId: 'other' }, p }, SEE, save)).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('with no supervisee copy in the policy, nobody is sent one', () => {
    const noCopy = policy({ recorder: 'supervisee', superviseeCopy: false });
    const sub = through({ record: newRecord(individual, noCopy), p: noCopy }, [[SEE, submit]]);
    expect(ok(run({ record: sub, p: noCopy }, SUP, countersign)).events).toEqual([{ kind: 'signed', copyTo: [] }]);
  });
});

describe('idempotent repeats (a second click changes nothing and announces nothing)', () => {
  const p = policy({ recorder: 'supervisee' });
  const ctx = (record: SupervisionRecord): Ctx => ({ record, p });
  const draft = newRecord(individual, p);
  const submitted = through(ctx(draft), [[SEE, submit]]);

  it.each<[string, SupervisionRecord, string, RecordCommand]>([
    ['save-draft with the same values', through(ctx(draft), [[SEE, save]]), SEE, save],
    ['submit with identical values by the submitter', submitted, SEE, submit],
    ['countersign by the countersigner', through(ctx(submitted), [[SUP, countersign]]), SUP, countersign],
    ['request-changes with the same comment', through(ctx(submitted), [[SUP, changes]]), SUP, changes],
    ['disagree with the same words', through(ctx(submitted), [[SUP, disagree]]), SUP, disagree],
    ['amend by the same person', through(ctx(submitted), [[SUP, countersign], [SUP, amend]]), SUP, amend],
    ['submit-and-sign with identical values (no countersign)', through({ record: newRecord(individual, policy({ recorder: 'supervisee', countersign: false })), p: policy({ recorder: 'supervisee', countersign: false }) }, [[SEE, submit]]), SEE, submit],
  ])('%s', (_name, record, actor, command) => {
    const p2 = record.status === 'signed' && record.signatures.length === 1 ? policy({ recorder: 'supervisee', countersign: false }) : p;
    const r = ok(run({ record, p: p2 }, actor, command, T2));
    expect(r.unchanged).toBe(true);
    expect(r.events).toEqual([]);
    expect(r.record).toBe(record);
  });

  it('but a different actor or different words are not repeats', () => {
    const changed = through(ctx(submitted), [[SUP, changes]]);
    expect(run(ctx(changed), SUP, { kind: 'request-changes', comment: 'other' })).toMatchObject({ ok: false, code: 'wrong-state' });
    const signed = through(ctx(submitted), [[SUP, countersign]]);
    expect(run(ctx(signed), SEE, countersign)).toMatchObject({ ok: false, code: 'locked' });
    expect(run(ctx(submitted), SUP, submit)).toMatchObject({ ok: false, code: 'wrong-state' });
  });
});

describe('group supervision', () => {
  const p = policy({ recorder: 'supervisor' });
  const ctx = (record: SupervisionRecord): Ctx => ({ record, rel: group, p });
  const submitted = through(ctx(newRecord(group, p)), [[SUP, submit]]);

  it('submission asks every supervisee; the record is signed when all have signed', () => {
    const first = ok(run(ctx(newRecord(group, p)), SUP, submit));
    expect(first.events).toEqual([{ kind: 'submitted', notify: ['g1', 'g2', 'g3'] }]);
    const a = ok(run(ctx(submitted), 'g1', countersign));
    expect(a.record.status).toBe('submitted');
    expect(a.events).toEqual([]);
    expect(ok(run(ctx(a.record), 'g1', countersign)).unchanged).toBe(true);
    const b = ok(run(ctx(a.record), 'g2', countersign));
    const c = ok(run(ctx(b.record), 'g3', countersign));
    expect(c.record.status).toBe('signed');
    expect(c.events).toEqual([{ kind: 'signed', copyTo: ['g1', 'g2', 'g3'] }]);
  });

  it('any supervisee may ask for changes or disagree', () => {
    expect(ok(run(ctx(submitted), 'g2', changes)).record.status).toBe('changes-requested');
    expect(ok(run(ctx(submitted), 'g3', disagree)).record.status).toBe('disagreed');
  });
});

describe('events carry no case detail', () => {
  it('across a full life: submit, changes, resubmit, countersign, amend, disagree', () => {
    const p = policy({ recorder: 'supervisee' });
    const all: unknown[] = [];
    let record = newRecord(individual, p);
    for (const [actor, command] of [
      [SEE, save],
      [SEE, submit],
      [SUP, changes],
      [SEE, submit],
      [SUP, countersign],
      [SEE, amend],
      [SEE, submit],
      [SUP, disagree],
    ] as [string, RecordCommand][]) {
      const r = ok(run({ record, p }, actor, command));
      all.push(...r.events);
      record = r.record;
    }
    expect(all.map((e) => (e as { kind: string }).kind)).toEqual(['submitted', 'changes-requested', 'submitted', 'signed', 'amended', 'submitted', 'disagreed']);
    expect(JSON.stringify(all)).not.toContain(MARKER);
  });
});

describe('actionsFromRecord', () => {
  const p = policy({ recorder: 'supervisee' });
  const values = {
    ...VALUES,
    actions: [
      { text: 'Ring the school', ownerRole: 'supervisee', dueOn: '2026-12-01', outcomeForChild: 'Attends' },
      { text: 'Book the review', ownerRole: 'supervisor', dueOn: '2026-12-08' },
      { text: 'Named person', ownerId: SUP, dueOn: '2026-12-09' },
    ],
  };

  it('turns agreed actions into open items with stable ids and resolved owners', () => {
    const signed = through({ record: newRecord(individual, p), p }, [[SEE, { kind: 'submit', values }], [SUP, countersign]]);
    const items = actionsFromRecord(signed, individual, T2, TEMPLATE);
    expect(items).toEqual<ActionItem[]>([
      { id: 'rec-1:v1:actions:0', relationshipId: 'rel-1', sessionId: 'ses-1', recordId: 'rec-1', text: 'Ring the school', ownerId: SEE, dueOn: '2026-12-01', outcomeForChild: 'Attends', status: 'open' },
      { id: 'rec-1:v1:actions:1', relationshipId: 'rel-1', sessionId: 'ses-1', recordId: 'rec-1', text: 'Book the review', ownerId: SUP, dueOn: '2026-12-08', status: 'open' },
      { id: 'rec-1:v1:actions:2', relationshipId: 'rel-1', sessionId: 'ses-1', recordId: 'rec-1', text: 'Named person', ownerId: SUP, dueOn: '2026-12-09', status: 'open' },
    ]);
    // same record, same ids (safe to save twice); without the template the actions field is found by shape
    expect(actionsFromRecord(signed, individual, T2)).toEqual(items);
    const v2 = through({ record: signed, p }, [[SEE, amend]]);
    expect(actionsFromRecord(v2, individual, T2, TEMPLATE)[0]!.id).toBe('rec-1:v2:actions:0');
  });

  it('in a group, an action for "the supervisee" is one item per supervisee', () => {
    const record = { ...newRecord(group, p), values: { actions: [{ text: 'Read the guidance', ownerRole: 'supervisee', dueOn: '2026-12-01' }, { text: 'Send notes', ownerRole: 'supervisor', dueOn: '2026-12-01' }] } };
    const items = actionsFromRecord(record, group, T2, TEMPLATE);
    expect(items.map((i) => [i.id, i.ownerId])).toEqual([
      ['rec-1:v1:actions:0:g1', 'g1'],
      ['rec-1:v1:actions:0:g2', 'g2'],
      ['rec-1:v1:actions:0:g3', 'g3'],
      ['rec-1:v1:actions:1', SUP],
    ]);
  });

  it('skips half-filled rows (a draft)', () => {
    const record = { ...newRecord(), values: { actions: [{ text: 'No owner yet', dueOn: '2026-12-01' }] } };
    expect(actionsFromRecord(record, individual, T2, TEMPLATE)).toEqual([]);
  });
});

describe('markActionDone', () => {
  const action: ActionItem = { id: 'a1', relationshipId: 'rel-1', sessionId: 'ses-1', recordId: 'rec-1', text: 'x', ownerId: SEE, dueOn: '2026-12-01', status: 'open' };

  it('the owner marks it done once; a second click changes nothing', () => {
    const r = markActionDone(action, SEE, T2);
    expect(r).toEqual({ ok: true, action: { ...action, status: 'done', completedAt: T2 } });
    const again = markActionDone((r as { action: ActionItem }).action, SEE, '2026-12-01T00:00:00.000Z');
    expect(again).toMatchObject({ ok: true, unchanged: true, action: { completedAt: T2 } });
  });

  it('nobody else can, and a dropped action cannot be done', () => {
    expect(markActionDone(action, SUP, T2)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(markActionDone({ ...action, status: 'dropped' }, SEE, T2)).toMatchObject({ ok: false, code: 'wrong-state' });
  });
});
