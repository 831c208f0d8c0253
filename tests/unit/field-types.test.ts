/**
 * The domain's field-type handlers: each answer as words (what the countersign
 * card, the signed copy, the subject-access export and the tab show), and a
 * sample answer per type that validates.
 */
import type { TemplateField } from '../../src/domain/policy/schema';
import { FIELD_TYPES, displayAnswer } from '../../src/domain/records/fieldTypes';
import { entryText } from '../../src/domain/inspection/signedRecord';

const field = (f: Partial<TemplateField> & Pick<TemplateField, 'type'>): TemplateField => ({ id: 'f', label: 'Field', required: false, ...f });
const ctx = { zone: 'Europe/London', names: { 'p-1': 'Grace Whitfield' }, supervisorName: 'Daniel Okafor', superviseeNames: ['Sam Patel'] };

describe('field types as words', () => {
  it('choices by title, yes/no, dates and times as days in the zone, text as typed', () => {
    expect(displayAnswer(field({ type: 'choice', choices: [{ value: 'f2f', title: 'Face to face' }] }), 'f2f', ctx)).toBe('Face to face');
    expect(displayAnswer(field({ type: 'yesno' }), 'no', ctx)).toBe('No');
    expect(displayAnswer(field({ type: 'yesno' }), true, ctx)).toBe('Yes');
    expect(displayAnswer(field({ type: 'date' }), '2026-11-23', ctx)).toBe('Mon 23 Nov 2026');
    expect(displayAnswer(field({ type: 'datetime' }), '2026-06-23T13:30:00Z', ctx)).toBe('Tue 23 Jun 2026, 14:30');
    expect(displayAnswer(field({ type: 'multiline' }), 'line one\nline two', ctx)).toBe('line one\nline two');
    expect(displayAnswer(field({ type: 'info', prefill: 'open-actions' }), 'anything', ctx)).toBe('');
  });

  it('action rows one per line, with the owner by name and the due day (the stored keys, not the card inputs)', () => {
    const rows = [
      { text: 'Ring the school', ownerRole: 'supervisee', dueOn: '2026-12-01', outcomeForChild: 'Safe at school' },
      { text: 'Chase the referral', ownerId: 'p-1', dueOn: '2026-12-02' },
      { text: 'Half written' },
    ];
    const f = field({ id: 'actions', type: 'actions', label: 'Actions' });
    expect(displayAnswer(f, rows, ctx).split('\n')).toEqual([
      '1. Ring the school, Sam Patel, by Tue 1 Dec 2026, outcome for the child: Safe at school',
      '2. Chase the referral, Grace Whitfield, by Wed 2 Dec 2026',
      '3. Half written, No owner yet, no date yet',
    ]);
    // The signed copy reads answers through the same handler.
    expect(entryText(f, rows, ctx.names, ctx.zone)).toContain('Ring the school, the supervisee, by Tue 1 Dec 2026');
  });

  it('every type has a sample answer the type itself accepts', () => {
    for (const type of Object.keys(FIELD_TYPES) as TemplateField['type'][]) {
      const f = field({ type, ...(type === 'choice' ? { choices: [{ value: 'a', title: 'A' }] } : {}) });
      const sample = FIELD_TYPES[type].sample(f, '2026-11-23');
      const parsed = FIELD_TYPES[type].schema(f, 'submit').safeParse(sample);
      expect(parsed.success).toBe(true);
      if (FIELD_TYPES[type].editable) expect(parsed.data).toEqual(sample);
    }
  });
});
