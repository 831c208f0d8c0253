/**
 * Record cards: every built-in template and every template in every shipped
 * policy pack renders valid Adaptive Card 1.5 form / countersign / summary cards
 * within Teams' size limit, even at the worst case (20 action rows, every answer
 * at its maximum length); cards that leave the two parties carry no case detail.
 */
import path from 'node:path';
import {
  CARD_BYTE_BUDGET,
  COMMENT_INPUT_ID,
  RECORD_CARD_SUMMARIES,
  RECORD_VERBS,
  actionItemCard,
  cardBytes,
  countersignCard,
  disagreementNoticeCard,
  displayDate,
  displayDateTime,
  recordFormCard,
  recordSummaryCard,
  signedCopyCard,
  truncate,
} from '../../src/bot/cards/record';
import { loadPolicies } from '../../src/config/policies';
import type { SupervisionRecord } from '../../src/domain/model';
import type { RecordTemplate } from '../../src/domain/policy/schema';
import { builtinTemplates } from '../../src/domain/policy/validate';
import { MAX_ACTION_ROWS, asksOutcomeForChild, maxLengthOf, validateSubmission } from '../../src/domain/records/validation';
import { valuesFromCardInputs } from '../../src/bot/cards/recordFields';
import { expandKeep } from '../../src/bot/cards/recordInputIds';
import { CHANGE_REQUEST_KEY } from '../../src/domain/records/workflow';
import { TEAMS_CARD_LIMIT_BYTES, cardProblems } from '../support/adaptiveCards';

const PACKS = [...loadPolicies(path.join(__dirname, '..', '..', 'policies')).values()];
const TEMPLATES: RecordTemplate[] = [...builtinTemplates, ...PACKS.flatMap((p) => p.templates)];
const MARKER = 'ZQXMARKER';
const TAB = 'http://localhost:3978/tab/#/records';
const USERS = ['aad-supervisor', 'aad-supervisee'];
const SESSION = '2026-11-23T10:00:00.000Z';
const ZONE = 'Europe/London';

type Json = Record<string, unknown>;

/** Fills `n` characters with the marker and text that stresses JSON escaping and UTF-8. */
function filler(n: number, fancy = false): string {
  const unit = fancy ? ` ${MARKER} "quoted" line\nnext – é ✓ ` : ` ${MARKER} lorem ipsum dolor sit amet `;
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n).padEnd(n, 'x');
}

/** Every answer at its maximum length; 20 action rows with 500-character text and outcome. */
function worstValues(t: RecordTemplate, fancy = false): Json {
  const v: Json = {};
  for (const f of t.fields) {
    if (f.type === 'text' || f.type === 'multiline') v[f.id] = filler(maxLengthOf(f)!, fancy).trim().padEnd(maxLengthOf(f)!, 'y');
    else if (f.type === 'date') v[f.id] = '2026-11-23';
    else if (f.type === 'datetime') v[f.id] = '2026-11-23T10:00';
    else if (f.type === 'choice') v[f.id] = f.choices![0]!.value;
    else if (f.type === 'yesno') v[f.id] = 'no';
    else if (f.type === 'actions') {
      v[f.id] = Array.from({ length: MAX_ACTION_ROWS }, (_, i) => ({
        text: filler(500, fancy).trim().padEnd(500, 'z'),
        ownerRole: i % 2 ? 'supervisor' : 'supervisee',
        dueOn: '2026-12-01',
        ...(asksOutcomeForChild(f) ? { outcomeForChild: filler(500, fancy).trim().padEnd(500, 'w') } : {}),
      }));
    }
  }
  const parsed = validateSubmission(t, v, 'submit');
  if (!parsed.ok) throw new Error(`${t.id}: worst-case values invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.values;
}

function typicalValues(t: RecordTemplate): Json {
  const v: Json = {};
  for (const f of t.fields) {
    if (f.type === 'text') v[f.id] = `${MARKER} short`;
    else if (f.type === 'multiline') v[f.id] = `${MARKER} a few sentences about the work.`;
    else if (f.type === 'date') v[f.id] = '2026-11-23';
    else if (f.type === 'choice') v[f.id] = f.choices![0]!.value;
    else if (f.type === 'yesno') v[f.id] = 'yes';
    else if (f.type === 'actions') v[f.id] = [{ text: `${MARKER} ring the school`, ownerRole: 'supervisee', dueOn: '2026-12-01' }];
  }
  return v;
}

function record(t: RecordTemplate, values: Json, over: Partial<SupervisionRecord> = {}): SupervisionRecord {
  return {
    id: 'rec-1',
    sessionId: 'ses-1',
    relationshipId: 'rel-1',
    templateId: t.id,
    version: 1,
    status: 'draft',
    authorId: 'sup',
    values,
    signatures: [],
    createdAt: SESSION,
    updatedAt: SESSION,
    etag: 'etag-1',
    ...over,
  };
}

const rowsOf = (values: Json) => Object.values(values).reduce<number>((n, v) => Math.max(n, Array.isArray(v) ? v.length : 0), 0);

function form(t: RecordTemplate, values: Json, extra: Partial<Parameters<typeof recordFormCard>[0]> = {}) {
  return recordFormCard({
    template: t,
    record: record(t, values),
    supervisorName: 'Alex Morgan',
    superviseeNames: ['Jordan Lee'],
    sessionStart: SESSION,
    timeZone: ZONE,
    jobTitle: 'Social worker',
    openActions: Array.from({ length: 25 }, (_, i) => ({ id: `a${i}`, text: `${MARKER} open action ${i} `.padEnd(500, '.'), dueOn: '2026-11-30', ownerName: 'Jordan Lee' })),
    nextSession: '2026-12-21T10:00:00.000Z',
    actionRows: rowsOf(values),
    userIds: USERS,
    tabUrl: TAB,
    ...extra,
  });
}

function countersign(t: RecordTemplate, values: Json) {
  return countersignCard({
    template: t,
    record: record(t, values, { status: 'submitted', submittedAt: SESSION, signatures: [{ personId: 'sup', role: 'supervisor', at: SESSION }] }),
    supervisorName: 'Alex Morgan',
    superviseeNames: ['Jordan Lee'],
    sessionStart: SESSION,
    timeZone: ZONE,
    names: { sup: 'Alex Morgan', see: 'Jordan Lee' },
    userIds: USERS,
    tabUrl: TAB,
  });
}

function summary(t: RecordTemplate, values: Json) {
  return recordSummaryCard({
    record: record(t, values, { status: 'signed', signatures: [{ personId: 'sup', role: 'supervisor', at: SESSION }, { personId: 'see', role: 'supervisee', at: '2026-11-24T09:00:00.000Z' }] }),
    sessionStart: SESSION,
    timeZone: ZONE,
    names: { sup: 'Alex Morgan', see: 'Jordan Lee' },
    tabUrl: TAB,
  });
}

/** Every element of a card (depth first). */
function elements(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!node || typeof node !== 'object') return [];
  const o = node as Json;
  return [o, ...Object.values(o).flatMap(elements)];
}
const inputsOf = (c: unknown) => elements((c as Json).body).filter((e) => typeof e.type === 'string' && (e.type as string).startsWith('Input.'));
const executes = (c: unknown) => ((c as Json).actions as Json[]).filter((a) => a.type === 'Action.Execute');

/** What Teams sends for an Action.Execute with associatedInputs auto: every input's value, merged over the action data. */
function submission(c: unknown, verb: string): Json {
  const action = executes(c).find((a) => a.verb === verb)!;
  const inputs = Object.fromEntries(inputsOf(c).map((i) => [i.id as string, (i.value as string | undefined) ?? '']));
  return { ...(action.data as Json), ...inputs };
}

const sizes: Record<string, number> = {};
afterAll(() => {
  // The largest card of each kind, for the record.
  process.stdout.write(`record card sizes (largest, bytes): ${JSON.stringify(sizes)}\n`);
});
function note(kind: string, c: unknown) {
  sizes[kind] = Math.max(sizes[kind] ?? 0, cardBytes(c));
}

describe('record cards for every template', () => {
  it('covers the built-in templates and every custom template of the shipped packs', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(expect.arrayContaining(['south-glos-recording-sheet', 'staffordshire-record', 'lingfield-safeguarding-record', 'signs-of-safety', 'lingfield-staff-incident-record', 'westmorland-4x4x4-record']));
  });

  describe.each(TEMPLATES.map((t) => [t.id, t] as const))('%s', (_id, t) => {
    const cases: [string, Json][] = [
      ['empty', {}],
      ['typical', typicalValues(t)],
      ['worst case', worstValues(t)],
      ['worst case, escaped and non-ASCII', worstValues(t, true)],
    ];

    it.each(cases)('form card (%s) is valid and fits', (_c, values) => {
      const c = form(t, values);
      note('form', c);
      expect(cardProblems(c)).toEqual([]);
      expect(cardBytes(c)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    });

    it.each(cases)('countersign card (%s) is valid and fits', (_c, values) => {
      const c = countersign(t, values);
      note('countersign', c);
      expect(cardProblems(c)).toEqual([]);
      expect(cardBytes(c)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    });

    it.each(cases)('summary card (%s) is valid and holds no case detail', (_c, values) => {
      const c = summary(t, values);
      note('summary', c);
      expect(cardProblems(c)).toEqual([]);
      expect(JSON.stringify(c)).not.toContain(MARKER);
    });

    it('form card with 20 empty action rows is valid', () => {
      const c = form(t, {}, { actionRows: MAX_ACTION_ROWS });
      expect(cardProblems(c)).toEqual([]);
    });

    it('form card: one input per editable field (id = field id), none for info fields, limits and required marks', () => {
      const c = form(t, typicalValues(t));
      const ids = inputsOf(c).map((i) => i.id);
      for (const f of t.fields) {
        if (f.type === 'info' || f.type === 'actions') expect(ids).not.toContain(f.id);
        else expect(ids).toContain(f.id);
        const input = inputsOf(c).find((i) => i.id === f.id);
        if (f.type === 'text' || f.type === 'multiline') expect(input?.maxLength).toBe(maxLengthOf(f));
        if (f.required && input) expect(input.errorMessage).toBe(`${f.label} is required`);
      }
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('worst-case form: what Teams sends back rebuilds the record exactly (withheld answers are kept)', () => {
      const values = worstValues(t, true);
      const c = form(t, values);
      const data = submission(c, RECORD_VERBS.save);
      const rebuilt = valuesFromCardInputs(t, data, data.rows as number, values);
      const checked = validateSubmission(t, rebuilt, 'submit');
      expect(checked).toEqual({ ok: true, values });
      // nothing was cut short: every input carries the whole answer
      for (const i of inputsOf(c)) if (typeof i.value === 'string' && typeof i.maxLength === 'number') expect(i.value.length).toBeLessThanOrEqual(i.maxLength);
    });
  });
});

describe('the form card', () => {
  const t = builtinTemplates.find((x) => x.id === 'lingfield-safeguarding-record')!;

  it('has Universal Actions with record id, etag and row count, and refreshes per user', () => {
    const c = form(t, typicalValues(t));
    expect(executes(c).map((a) => a.verb)).toEqual(['record.save', 'record.submit', 'record.addAction', 'record.removeAction']);
    for (const a of executes(c)) {
      expect(a.data).toEqual({ recordId: 'rec-1', relationshipId: 'rel-1', etag: 'etag-1', rows: 1 });
      expect(a.associatedInputs).toBe('auto');
    }
    expect(c.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'record.refresh', data: { recordId: 'rec-1', relationshipId: 'rel-1' } }, userIds: USERS });
  });

  it('offers "remove" only with rows, "add" only below 20', () => {
    expect(executes(form(t, {}, { actionRows: 0 })).map((a) => a.verb)).toEqual(['record.save', 'record.submit', 'record.addAction']);
    expect(executes(form(t, {}, { actionRows: 20 })).map((a) => a.verb)).toEqual(['record.save', 'record.submit', 'record.removeAction']);
  });

  it('renders action rows with text, owner, due date and (Lingfield) outcome for the child', () => {
    const c = form(t, typicalValues(t), { actionRows: 2 });
    const ids = inputsOf(c).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['action_0_text', 'action_0_owner', 'action_0_due', 'action_0_outcome', 'action_1_text', 'action_1_owner', 'action_1_due', 'action_1_outcome']));
    const owner = inputsOf(c).find((i) => i.id === 'action_0_owner')!;
    expect(owner.type).toBe('Input.ChoiceSet');
    expect((owner.choices as Json[]).map((ch) => ch.value)).toEqual(['supervisor', 'supervisee']);
    expect(owner.value).toBe('supervisee');
    expect(inputsOf(c).find((i) => i.id === 'action_0_due')!.type).toBe('Input.Date');
    const staffs = builtinTemplates.find((x) => x.id === 'staffordshire-record')!;
    expect(inputsOf(form(staffs, {}, { actionRows: 1 })).map((i) => i.id)).not.toContain('action_0_outcome');
  });

  it('prefills names, date, job title, open actions and next meeting', () => {
    const sg = builtinTemplates.find((x) => x.id === 'south-glos-recording-sheet')!;
    const c = form(sg, {});
    const byId = Object.fromEntries(inputsOf(c).map((i) => [i.id, i.value]));
    expect(byId).toMatchObject({ name: 'Jordan Lee', date: '2026-11-23', jobTitle: 'Social worker' });
    const text = JSON.stringify(c);
    expect(text).toContain('open action 0');
    expect(text).toContain('Mon 21 Dec 2026, 10:00');
    expect(text).toContain('…and 15 more');
    const staffs = builtinTemplates.find((x) => x.id === 'staffordshire-record')!;
    expect(Object.fromEntries(inputsOf(form(staffs, {})).map((i) => [i.id, i.value]))).toMatchObject({ supervisor: 'Alex Morgan', supervisee: 'Jordan Lee' });
    // a stored answer wins over the prefill
    expect(inputsOf(form(sg, { name: 'Someone Else' })).find((i) => i.id === 'name')!.value).toBe('Someone Else');
  });

  it('shows server errors at the top in an attention container and beside the field', () => {
    const c = form(t, {}, { errors: [{ fieldId: 'child', message: 'Child / family name is required' }, { fieldId: 'action_0_due', message: 'Action 1 needs a due date' }, { message: 'Something general' }], actionRows: 1 });
    const containers = elements(c.body).filter((e) => e.type === 'Container' && e.style === 'attention');
    expect(containers).toHaveLength(1);
    expect(JSON.stringify(containers[0])).toContain('Something general');
    const inline = elements(c.body).filter((e) => e.type === 'TextBlock' && e.color === 'Attention').map((e) => e.text);
    expect(inline).toEqual(expect.arrayContaining(['Child / family name is required', 'Action 1 needs a due date']));
    expect(cardProblems(c)).toEqual([]);
  });

  it('shows a change request and a notice, and marks an amendment', () => {
    const c = recordFormCard({
      template: t,
      record: record(t, { ...typicalValues(t), [CHANGE_REQUEST_KEY]: { byId: 'see', at: SESSION, comment: 'Please add the review date' } }, { status: 'changes-requested', version: 2 }),
      supervisorName: 'Alex Morgan',
      superviseeNames: ['Jordan Lee'],
      sessionStart: SESSION,
      timeZone: ZONE,
      openActions: [],
      actionRows: 1,
      userIds: USERS,
      notice: 'Draft saved.',
    });
    const text = JSON.stringify(c);
    expect(text).toContain('Please add the review date');
    expect(text).toContain('Draft saved.');
    expect(text).toContain('version 2');
    expect(text).toContain('No open actions.');
    expect(inputsOf(c).map((i) => i.id)).not.toContain(CHANGE_REQUEST_KEY);
    expect(cardProblems(c)).toEqual([]);
  });

  it('re-shows what was typed (values) rather than the stored record', () => {
    const c = form(t, typicalValues(t), { values: { child: 'typed but not saved' } });
    expect(inputsOf(c).find((i) => i.id === 'child')!.value).toBe('typed but not saved');
  });

  it('uses isRequired only when asked for client-side validation (it would block "Save draft")', () => {
    expect(inputsOf(form(t, {})).some((i) => i.isRequired)).toBe(false);
    const strict = form(t, {}, { clientValidation: true });
    expect(inputsOf(strict).filter((i) => i.isRequired).map((i) => i.id)).toEqual(['date', 'child', 'category', 'progressing', 'direction']);
    expect(cardProblems(strict)).toEqual([]);
  });

  it('withholds over-long answers only when the card would not fit, and says so', () => {
    expect(executes(form(t, typicalValues(t)))[0]!.data).not.toHaveProperty('keep');
    const c = form(t, worstValues(t));
    const keep = [...expandKeep((executes(c)[0]!.data as Json).keep)];
    expect(keep.length).toBeGreaterThan(0);
    expect(inputsOf(c).map((i) => i.id)).not.toEqual(expect.arrayContaining(keep));
    expect(JSON.stringify(c)).toContain('Too long to edit in Teams chat');
  });

  it('labels submit "Submit and sign" when the policy has no countersignature', () => {
    expect(executes(form(t, {}, { countersign: false }))[1]!.title).toBe('Submit and sign');
  });

  it('supports a datetime field (date and time inputs) and a group', () => {
    const custom: RecordTemplate = { id: 'custom', name: 'Custom', kind: 'record', source: 'test', fields: [{ id: 'when', label: 'When', type: 'datetime', required: true }, { id: 'actions', label: 'Actions', type: 'actions', required: false }] };
    const c = form(custom, { when: '2026-11-23T14:30' }, { superviseeNames: ['A', 'B', 'C'], actionRows: 1 });
    const inputs = inputsOf(c);
    expect(inputs.find((i) => i.id === 'when')).toMatchObject({ type: 'Input.Date', value: '2026-11-23' });
    expect(inputs.find((i) => i.id === 'when__time')).toMatchObject({ type: 'Input.Time', value: '14:30' });
    expect(JSON.stringify(c)).toContain('Each supervisee');
    expect(cardProblems(c)).toEqual([]);
    const data = submission(c, RECORD_VERBS.submit);
    expect(valuesFromCardInputs(custom, data, 1)).toEqual({ when: '2026-11-23T14:30', actions: [{}] });
  });
});

describe('the countersign card', () => {
  const t = builtinTemplates.find((x) => x.id === 'lingfield-safeguarding-record')!;

  it('shows the answers read-only with a comment box and three verbs', () => {
    const c = countersign(t, typicalValues(t));
    expect(inputsOf(c).map((i) => i.id)).toEqual([COMMENT_INPUT_ID]);
    expect(executes(c).map((a) => a.verb)).toEqual(['record.countersign', 'record.requestChanges', 'record.disagree']);
    for (const a of executes(c)) expect(a.data).toEqual({ recordId: 'rec-1', relationshipId: 'rel-1', etag: 'etag-1' });
    const text = JSON.stringify(c);
    expect(text).toContain(`${MARKER} a few sentences`);
    expect(text).toContain('Escalated'); // the choice shown by its title, not its value
    expect(text).toContain('ring the school');
    expect(c.refresh).toMatchObject({ userIds: USERS });
    expect(elements(c.body).filter((e) => e.type === 'FactSet').length).toBeGreaterThan(0);
  });

  it('shortens long answers with "…" and warns the reader, never over the limit', () => {
    const c = countersign(t, worstValues(t));
    const text = JSON.stringify(c);
    expect(text).toContain('…');
    expect(text).toContain('Read the full record in Protected Time');
    expect(cardBytes(c)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    expect(cardBytes(c)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
  });
});

describe('cards with no case detail', () => {
  const t = builtinTemplates.find((x) => x.id === 'staffordshire-record')!;
  const values = worstValues(t);

  it('summary says who signed and when, or what it is waiting for', () => {
    expect(JSON.stringify(summary(t, values))).toContain('Supervision record for Mon 23 Nov 2026: signed by Alex Morgan and Jordan Lee on Tue 24 Nov 2026');
    const waiting = recordSummaryCard({ record: record(t, values, { status: 'submitted' }), sessionStart: SESSION, timeZone: ZONE, tabUrl: TAB });
    expect(JSON.stringify(waiting)).toContain('Awaiting countersignature');
    expect(JSON.stringify(waiting)).not.toContain(MARKER);
    const disagreed = recordSummaryCard({ record: record(t, values, { status: 'disagreed', disagreement: { byId: 'see', at: SESSION, text: `${MARKER} I disagree` } }), sessionStart: SESSION, timeZone: ZONE, tabUrl: TAB });
    expect(JSON.stringify(disagreed)).not.toContain(MARKER);
    const custom = recordSummaryCard({ record: record(t, values), sessionStart: SESSION, timeZone: ZONE, tabUrl: TAB, statusLine: 'Awaiting countersignature' });
    expect(JSON.stringify(custom)).toContain('Awaiting countersignature');
    expect(((summary(t, values).actions as unknown as Json[])[0] as Json)).toEqual({ type: 'Action.OpenUrl', title: 'Open in Protected Time', url: TAB });
    for (const c of [waiting, disagreed, custom]) expect(cardProblems(c)).toEqual([]);
  });

  it('signed copy and disagreement notice are valid, link to the tab and hold no case detail', () => {
    const copy = signedCopyCard({ sessionStart: SESSION, timeZone: ZONE, tabUrl: TAB });
    const notice = disagreementNoticeCard({ sessionStart: SESSION, superviseeName: 'Jordan Lee', supervisorName: 'Alex Morgan', tabUrl: TAB, timeZone: ZONE });
    for (const c of [copy, notice]) {
      expect(cardProblems(c)).toEqual([]);
      expect(JSON.stringify(c)).toContain(TAB);
      expect(JSON.stringify(c)).not.toContain(MARKER);
      note('notice', c);
    }
    expect(JSON.stringify(notice)).toContain('Jordan Lee');
  });

  it('action card shows the action to its owner with "Mark done", and no summary text carries it', () => {
    const c = actionItemCard({ action: { id: 'act-1', text: `${MARKER} ring the school`, dueOn: '2026-12-01', outcomeForChild: 'Safer at home' }, tabUrl: TAB, today: '2026-12-02', timeZone: ZONE });
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain(`${MARKER} ring the school`);
    expect(JSON.stringify(c)).toContain('Overdue');
    expect(executes(c)).toEqual([expect.objectContaining({ verb: 'action.done', data: { actionId: 'act-1' } })]);
    expect(JSON.stringify(RECORD_CARD_SUMMARIES)).not.toContain(MARKER);
    const done = actionItemCard({ action: { id: 'act-1', text: 'x', dueOn: '2026-12-01', status: 'done' }, tabUrl: TAB, timeZone: ZONE });
    expect(executes(done)).toEqual([]);
    expect(cardProblems(actionItemCard({ action: { id: 'a', text: 'y'.repeat(5000), dueOn: '2026-12-01' }, tabUrl: TAB, timeZone: ZONE }))).toEqual([]);
  });
});

describe('truncate', () => {
  it('keeps short text and ends long text with an ellipsis within the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(truncate('a'.repeat(20), 10)).toHaveLength(10);
  });
});

describe('dates on cards', () => {
  it('shows instants in the policy time zone and wall-clock values as they are', () => {
    expect(displayDateTime('2026-07-01T09:00:00.000Z', ZONE)).toBe('Wed 1 Jul 2026, 10:00'); // BST
    expect(displayDateTime('2026-07-01T09:00:00.000Z', 'UTC')).toBe('Wed 1 Jul 2026, 09:00');
    expect(displayDateTime('2026-07-01T09:00:00.000Z', 'America/New_York')).toBe('Wed 1 Jul 2026, 05:00'); // EDT
    expect(displayDateTime('2026-07-01T14:30', ZONE)).toBe('Wed 1 Jul 2026, 14:30');
    expect(displayDate('2026-12-01', 'America/New_York')).toBe('Tue 1 Dec 2026'); // a plain date is not moved a day west
    expect(displayDate('not a date', ZONE)).toBe('not a date');
  });
});

describe('a large group', () => {
  it('worst-case form and countersign cards still fit with 30 supervisees', () => {
    const t = builtinTemplates.find((x) => x.id === 'lingfield-safeguarding-record')!;
    const names = Array.from({ length: 30 }, (_, i) => `Supervisee Number ${i} Withalongsurname`);
    const userIds = Array.from({ length: 31 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const values = worstValues(t, true);
    const f = form(t, values, { superviseeNames: names, userIds });
    const cs = countersignCard({ template: t, record: record(t, values, { status: 'submitted' }), supervisorName: 'Alex Morgan', superviseeNames: names, sessionStart: SESSION, timeZone: ZONE, userIds, tabUrl: TAB });
    for (const c of [f, cs]) {
      expect(cardProblems(c)).toEqual([]);
      expect((c.refresh as { userIds: string[] }).userIds).toHaveLength(31);
    }
  });
});
