/**
 * Record validation against the template: required only on submit, lengths,
 * real dates, choices, action rows; card inputs (flat strings) to values.
 */
import path from 'node:path';
import { loadPolicies } from '../../src/config/policies';
import type { RecordTemplate } from '../../src/domain/policy/schema';
import { RecordTemplate as RecordTemplateSchema } from '../../src/domain/policy/schema';
import { builtinTemplates } from '../../src/domain/policy/validate';
import {
  DEFAULT_MULTILINE_MAX,
  DEFAULT_TEXT_MAX,
  MAX_ACTION_ROWS,
  editableFields,
  maxLengthOf,
  submissionSchema,
  validateSubmission,
} from '../../src/domain/records/validation';
import { valuesFromCardInputs } from '../../src/bot/cards/recordFields';
import { actionInputId, encodeKeep, expandKeep, problemInputId } from '../../src/bot/cards/recordInputIds';

const PACKS = [...loadPolicies(path.join(__dirname, '..', '..', 'policies')).values()];
const TEMPLATES: RecordTemplate[] = [...builtinTemplates, ...PACKS.flatMap((p) => p.templates)];
const byId = (id: string) => TEMPLATES.find((t) => t.id === id)!;

/** A complete, valid submission for any template. */
function complete(t: RecordTemplate): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const f of editableFields(t)) {
    if (f.type === 'text' || f.type === 'multiline') v[f.id] = `answer for ${f.id}`;
    else if (f.type === 'date') v[f.id] = '2026-11-23';
    else if (f.type === 'datetime') v[f.id] = '2026-11-23T10:00';
    else if (f.type === 'choice') v[f.id] = f.choices![0]!.value;
    else if (f.type === 'yesno') v[f.id] = 'yes';
    else if (f.type === 'actions') v[f.id] = [{ text: 'Do the thing', ownerRole: 'supervisee', dueOn: '2026-12-01' }];
  }
  return v;
}

const custom = (fields: unknown[]): RecordTemplate => RecordTemplateSchema.parse({ id: 'custom', name: 'Custom', kind: 'record', source: 'test', fields });

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('template %s', (_id, t) => {
  const requiredIds = editableFields(t).filter((f) => f.required).map((f) => f.id);

  it('accepts an empty draft', () => {
    expect(validateSubmission(t, {}, 'draft')).toEqual({ ok: true, values: {} });
  });

  it('on submit, names every required field that is missing', () => {
    const r = validateSubmission(t, {}, 'submit');
    if (!requiredIds.length) return expect(r.ok).toBe(true);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.fieldId)).toEqual(requiredIds);
    for (const e of r.errors) expect(e.message).toBe(`${t.fields.find((f) => f.id === e.fieldId)!.label} is required`);
  });

  it('accepts a complete submission, dropping info fields and unknown keys', () => {
    const info = Object.fromEntries(t.fields.filter((f) => f.type === 'info').map((f) => [f.id, 'sent anyway']));
    const r = validateSubmission(t, { ...complete(t), ...info, notAField: 'x', _changeRequest: { comment: 'x' } }, 'submit');
    expect(r).toEqual({ ok: true, values: complete(t) });
  });

  it('enforces every text field\'s maximum length in both modes', () => {
    for (const f of editableFields(t).filter((x) => x.type === 'text' || x.type === 'multiline')) {
      const max = maxLengthOf(f)!;
      expect(validateSubmission(t, { ...complete(t), [f.id]: 'a'.repeat(max) }, 'submit').ok).toBe(true);
      for (const mode of ['draft', 'submit'] as const) {
        const r = validateSubmission(t, { ...complete(t), [f.id]: 'a'.repeat(max + 1) }, mode);
        expect(r).toEqual({ ok: false, errors: [{ fieldId: f.id, message: `${f.label} is too long (${max + 1} characters; at most ${max})` }] });
      }
    }
  });
});

describe('field types', () => {
  const staffs = byId('staffordshire-record');
  const lingfield = byId('lingfield-safeguarding-record');

  it('uses the human messages the cards show', () => {
    const r = validateSubmission(staffs, { ...complete(staffs), concerns: '   ', date: '2026-02-30' }, 'submit');
    expect(r.ok ? [] : r.errors).toEqual([
      { fieldId: 'date', message: 'Date must be a real date' },
      { fieldId: 'concerns', message: 'Concerns / issues is required' },
    ]);
  });

  it('trims text, and blank counts as unanswered', () => {
    const r = validateSubmission(staffs, { concerns: '  worried  ', discussion: '   ' }, 'draft');
    expect(r).toEqual({ ok: true, values: { concerns: 'worried' } });
  });

  it('defaults maximum lengths: 200 for text, 4000 for multiline', () => {
    const t = custom([{ id: 'short', label: 'Short', type: 'text' }, { id: 'long', label: 'Long', type: 'multiline' }]);
    expect(maxLengthOf(t.fields[0]!)).toBe(DEFAULT_TEXT_MAX);
    expect(maxLengthOf(t.fields[1]!)).toBe(DEFAULT_MULTILINE_MAX);
    expect(validateSubmission(t, { short: 'a'.repeat(201) }, 'draft').ok).toBe(false);
    expect(validateSubmission(t, { short: 'a'.repeat(200), long: 'b'.repeat(4000) }, 'draft').ok).toBe(true);
    expect(validateSubmission(t, { long: 'b'.repeat(4001) }, 'draft').ok).toBe(false);
  });

  it.each([
    ['2026-11-23', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-5', false],
    ['23/11/2026', false],
    ['2026-11-23T10:00', false],
  ])('date %s valid: %s (in drafts too)', (value, ok) => {
    expect(validateSubmission(staffs, { date: value }, 'draft').ok).toBe(ok);
  });

  it('rejects non-text answers', () => {
    expect(validateSubmission(staffs, { concerns: 42 }, 'draft')).toEqual({ ok: false, errors: [{ fieldId: 'concerns', message: 'Concerns / issues must be text' }] });
  });

  it('checks a choice against its choices, naming them', () => {
    expect(validateSubmission(lingfield, { direction: 'sideways' }, 'draft')).toEqual({
      ok: false,
      errors: [{ fieldId: 'direction', message: 'Have the concerns escalated, de-escalated or stayed the same? must be one of: Escalated, De-escalated, Stayed the same' }],
    });
    expect(validateSubmission(lingfield, { direction: 'de-escalated' }, 'draft')).toEqual({ ok: true, values: { direction: 'de-escalated' } });
  });

  it('takes yes/no (and booleans from the tab)', () => {
    expect(validateSubmission(lingfield, { progressing: 'maybe' }, 'draft').ok).toBe(false);
    expect(validateSubmission(lingfield, { progressing: true }, 'draft')).toEqual({ ok: true, values: { progressing: 'yes' } });
    expect(validateSubmission(lingfield, { progressing: false }, 'draft')).toEqual({ ok: true, values: { progressing: 'no' } });
  });

  it('checks datetimes', () => {
    const t = custom([{ id: 'when', label: 'Next meeting', type: 'datetime', required: true }]);
    expect(validateSubmission(t, { when: '2026-11-23T10:00' }, 'submit').ok).toBe(true);
    expect(validateSubmission(t, { when: '2026-11-23T10:00:00.000Z' }, 'submit').ok).toBe(true);
    expect(validateSubmission(t, { when: '2026-11-23T25:00' }, 'submit')).toEqual({ ok: false, errors: [{ fieldId: 'when', message: 'Next meeting must be a real date and time' }] });
    expect(validateSubmission(t, { when: '2026-11-23T' }, 'draft').ok).toBe(false);
    expect(validateSubmission(t, {}, 'submit')).toEqual({ ok: false, errors: [{ fieldId: 'when', message: 'Next meeting is required' }] });
  });

  it('refuses something that is not a set of answers', () => {
    expect(validateSubmission(staffs, 'nope', 'draft')).toEqual({ ok: false, errors: [{ fieldId: '', message: 'The record must be an object of answers' }] });
    expect(validateSubmission(staffs, [], 'draft').ok).toBe(false);
  });

  it('exposes the zod schema (strips unknown keys, parses like validateSubmission)', () => {
    const schema = submissionSchema(staffs, 'draft');
    expect(schema.parse({ concerns: ' x ', other: 1 })).toEqual({ concerns: 'x' });
    expect(schema.safeParse({ date: 'x' }).success).toBe(false);
  });
});

describe('action rows', () => {
  const t = byId('lingfield-safeguarding-record');
  const row = (over: Record<string, unknown> = {}) => ({ text: 'Call the school', ownerRole: 'supervisor', dueOn: '2026-12-01', ...over });
  const submit = (actions: unknown) => validateSubmission(t, { ...complete(t), actions }, 'submit');

  it('accepts complete rows with role or person owners and an outcome for the child', () => {
    const r = submit([row({ outcomeForChild: ' Feels safer ' }), row({ ownerRole: undefined, ownerId: 'person-7' }), row({ ownerRole: undefined, owner: 'supervisee' })]);
    expect(r.ok && r.values.actions).toEqual([
      { text: 'Call the school', ownerRole: 'supervisor', dueOn: '2026-12-01', outcomeForChild: 'Feels safer' },
      { text: 'Call the school', ownerId: 'person-7', dueOn: '2026-12-01' },
      { text: 'Call the school', ownerRole: 'supervisee', dueOn: '2026-12-01' },
    ]);
  });

  it('drops empty rows; no rows at all is no actions', () => {
    const none = submit([{}, { text: '  ', dueOn: '' }]);
    expect(none.ok).toBe(true);
    expect(none.ok && 'actions' in none.values).toBe(false);
    const r = submit([{}, row(), {}]);
    expect(r.ok && r.values.actions).toHaveLength(1);
  });

  it('on submit each row needs text, an owner and a real due date, reported by row and part', () => {
    const r = submit([row(), { text: 'Half done' }, row({ dueOn: '2026-02-30' })]);
    expect(r.ok ? [] : r.errors).toEqual([
      { fieldId: 'actions', row: 1, part: 'owner', message: 'Action 2 needs an owner' },
      { fieldId: 'actions', row: 1, part: 'due', message: 'Action 2 needs a due date' },
      { fieldId: 'actions', row: 2, part: 'due', message: 'Action 3: the due date must be a real date' },
    ]);
    expect(submit([{ ownerRole: 'supervisor', dueOn: '2026-12-01' }])).toEqual({ ok: false, errors: [{ fieldId: 'actions', row: 0, part: 'text', message: 'Action 1 needs to say what will be done' }] });
  });

  it('a draft may hold half-filled rows, but what is there must be valid', () => {
    expect(validateSubmission(t, { actions: [{ text: 'Half done' }] }, 'draft')).toEqual({ ok: true, values: { actions: [{ text: 'Half done' }] } });
    expect(validateSubmission(t, { actions: [{ dueOn: 'soon' }] }, 'draft').ok).toBe(false);
  });

  it('limits text and outcome to 500 characters and rows to 20', () => {
    expect(submit([row({ text: 'a'.repeat(500), outcomeForChild: 'b'.repeat(500) })]).ok).toBe(true);
    expect(submit([row({ text: 'a'.repeat(501) })])).toEqual({ ok: false, errors: [{ fieldId: 'actions', row: 0, part: 'text', message: 'Action 1 is too long (501 characters; at most 500)' }] });
    expect(submit([row({ outcomeForChild: 'b'.repeat(501) })]).ok).toBe(false);
    expect(submit(Array.from({ length: MAX_ACTION_ROWS }, () => row())).ok).toBe(true);
    expect(submit(Array.from({ length: MAX_ACTION_ROWS + 1 }, () => row()))).toEqual({ ok: false, errors: [{ fieldId: 'actions', message: 'Actions to be taken (action, outcome for the child, review date): at most 20 actions' }] });
  });

  it('rejects an unknown owner role and a non-list', () => {
    expect(submit([row({ ownerRole: 'manager' })])).toEqual({ ok: false, errors: [{ fieldId: 'actions', row: 0, part: 'owner', message: 'Action 1: the owner must be the supervisor or the supervisee' }] });
    expect(submit('do things').ok).toBe(false);
  });

  it('a required actions field needs at least one action on submit only', () => {
    const req = custom([{ id: 'agreed', label: 'Agreed actions', type: 'actions', required: true }]);
    expect(validateSubmission(req, { agreed: [{}] }, 'submit')).toEqual({ ok: false, errors: [{ fieldId: 'agreed', message: 'Agreed actions: add at least one action' }] });
    expect(validateSubmission(req, {}, 'draft').ok).toBe(true);
  });

  it('a second actions field has its own input ids', () => {
    const two = custom([{ id: 'first', label: 'First', type: 'actions' }, { id: 'second', label: 'Second', type: 'actions' }]);
    expect(actionInputId(two, 'first', 0, 'text')).toBe('action_0_text');
    expect(actionInputId(two, 'second', 3, 'due')).toBe('second_3_due');
    const r = validateSubmission(two, { second: [{ text: 'x' }] }, 'submit');
    expect(r.ok ? [] : r.errors.map((e) => problemInputId(two, e))).toEqual(['second_0_owner', 'second_0_due']);
  });
});

describe('valuesFromCardInputs', () => {
  const t = byId('lingfield-safeguarding-record');

  it('turns flat card inputs into structured values that then validate', () => {
    const inputs = {
      recordId: 'rec-1',
      etag: 'e',
      rows: 2,
      date: '2026-11-23',
      child: 'A child',
      category: 'Neglect',
      progressing: 'no',
      direction: 'same',
      carriedForward: 'ignored: info field',
      action_0_text: 'Ring the school',
      action_0_owner: 'supervisee',
      action_0_due: '2026-12-01',
      action_0_outcome: 'Attends every day',
      action_1_text: 'Review plan',
      action_1_owner: 'person-9',
      action_1_due: '2026-12-08',
      action_1_outcome: '',
      action_2_text: 'beyond the row count: ignored',
    };
    const values = valuesFromCardInputs(t, inputs, 2);
    expect(values).toEqual({
      date: '2026-11-23',
      child: 'A child',
      category: 'Neglect',
      progressing: 'no',
      direction: 'same',
      actions: [
        { text: 'Ring the school', ownerRole: 'supervisee', dueOn: '2026-12-01', outcomeForChild: 'Attends every day' },
        { text: 'Review plan', ownerId: 'person-9', dueOn: '2026-12-08' },
      ],
    });
    expect(validateSubmission(t, values, 'submit').ok).toBe(true);
  });

  it('empty inputs clear answers; inputs the card withheld (keep) keep the stored answer', () => {
    const previous = { history: 'long stored history', sinceLast: 'stored', actions: [{ text: 'stored action', ownerRole: 'supervisor', dueOn: '2026-12-01', outcomeForChild: 'stored outcome' }] };
    const values = valuesFromCardInputs(t, { keep: ['history', 'action_0_outcome'], sinceLast: '', action_0_text: 'edited', action_0_owner: 'supervisor', action_0_due: '2026-12-02' }, 1, previous);
    expect(values).toEqual({ history: 'long stored history', sinceLast: '', actions: [{ text: 'edited', ownerRole: 'supervisor', dueOn: '2026-12-02', outcomeForChild: 'stored outcome' }] });
    // without "keep", a missing input is simply unanswered
    expect(valuesFromCardInputs(t, {}, 0, previous)).toEqual({});
  });

  it('clamps the row count and stringifies odd input values', () => {
    const v = valuesFromCardInputs(t, { child: 7, action_0_text: 'x' }, 99);
    expect(v.child).toBe('7');
    expect((v.actions as unknown[]).length).toBe(MAX_ACTION_ROWS);
    expect(valuesFromCardInputs(t, { action_0_text: 'x' }, -3)).toEqual({});
    expect(valuesFromCardInputs(t, { action_0_text: 'x' }, Number.NaN)).toEqual({});
  });

  it('joins a datetime field from its date and time inputs', () => {
    const dt = custom([{ id: 'when', label: 'When', type: 'datetime' }]);
    expect(valuesFromCardInputs(dt, { when: '2026-11-23', when__time: '14:30' }, 0)).toEqual({ when: '2026-11-23T14:30' });
    expect(valuesFromCardInputs(dt, { when: '', when__time: '' }, 0)).toEqual({});
    const half = valuesFromCardInputs(dt, { when: '2026-11-23' }, 0);
    expect(validateSubmission(dt, half, 'draft')).toEqual({ ok: false, errors: [{ fieldId: 'when', message: 'When must be a real date and time' }] });
  });
});

describe('keep lists', () => {
  it('write runs of action rows as ranges and read them back', () => {
    const ids = ['history', 'action_0_text', 'action_1_text', 'action_2_text', 'action_5_text', 'action_0_outcome', 'second_3_due', 'odd_name_1'];
    const encoded = encodeKeep(ids);
    expect(encoded).toEqual(['history', 'odd_name_1', 'action_0-2_text', 'action_5_text', 'action_0_outcome', 'second_3_due']);
    expect([...expandKeep(encoded)].sort()).toEqual([...ids].sort());
    expect([...expandKeep(['action_0-99_text'])]).toHaveLength(MAX_ACTION_ROWS);
    expect(expandKeep('nope').size).toBe(0);
  });
});
