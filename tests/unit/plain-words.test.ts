import { recordAccess } from '../../src/domain/access';
import type { Relationship } from '../../src/domain/model';
import { dayWords, durationWords, everyWords, plainSentence } from '../../src/domain/text/plainWords';
import { describeObligation, plainExplanation } from '../../src/usecases/obligationWords';
import { tabLink, TAB_ROUTES } from '../../src/usecases/tabLinks';
import { aPerson } from '../support/builders';

describe('plain words', () => {
  it('durations and dates in en-GB words', () => {
    expect(durationWords('P2W')).toBe('2 weeks');
    expect(durationWords('P1Y6M')).toBe('1 year and 6 months');
    expect(everyWords('P2W')).toBe('every 2 weeks');
    expect(everyWords('P1M')).toBe('every month');
    expect(dayWords('2026-12-09')).toBe('Wed 9 Dec');
    expect(dayWords('2027-01-05', 'Europe/London', 2026)).toBe('Tue 5 Jan 2027');
    expect(plainSentence('due on 2026-09-07 within P3M')).toBe('due on Mon 7 Sept within 3 months');
    expect(plainExplanation('the policy interval is P2W, so the next is due by 2026-12-09.')).toBe('the policy asks for supervision every 2 weeks, so the next is due by Wed 9 Dec.');
  });

  const rel: Relationship = { id: 'r1', kind: 'individual', supervisorId: 'dan', superviseeIds: ['sam'], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true };
  const names = new Map([['dan', 'Daniel Okafor'], ['sam', 'Sam Patel'], ['helen', 'Helen Carter']]);
  const base = { id: 'x', relationshipId: 'r1', subjectId: 's1', dueAt: '2026-12-09T17:00:00.000Z', state: 'overdue' as const, escalationStep: 1, notify: [], policyId: 'p' };

  it('each item names the person and the thing, for whoever reads it', () => {
    const rec = { ...base, kind: 'record-due' as const, owedBy: ['dan'], explanation: 'The record of the session on 2026-12-02 is not started.' };
    expect(describeObligation(rec, { rel, names, viewerId: 'dan', sessionStart: '2026-12-02T14:00:00Z' }).title).toBe('Write the record of your session with Sam Patel on Wed 2 Dec');
    expect(describeObligation(rec, { rel, names, viewerId: 'helen', sessionStart: '2026-12-02T14:00:00Z' }).title).toBe('Record of the session of Sam Patel with Daniel Okafor on Wed 2 Dec (Daniel Okafor to write)');
    const act = { ...base, kind: 'action-due' as const, owedBy: ['sam'], explanation: 'An action agreed in supervision is due on 2026-12-09.' };
    const words = describeObligation(act, { rel, names, viewerId: 'sam', actionText: 'Book a strategy meeting' });
    expect(words.title).toBe('“Book a strategy meeting”, agreed in supervision with Daniel Okafor');
    expect(words.detail).toBe('An action agreed in supervision is due on Wed 9 Dec.');
  });

  it('deep links keep the page in the fragment', () => {
    expect(tabLink('http://localhost:3978/tab/', TAB_ROUTES.record('rec-1'))).toBe('http://localhost:3978/tab/#/records/rec-1');
    expect(tabLink('https://x/tab/#/old', TAB_ROUTES.todo())).toBe('https://x/tab/#/todo');
  });
});

describe('record access', () => {
  const people = new Map([
    ['dan', aPerson({ id: 'dan', roles: [], lineManagerId: 'helen' })],
    ['sam', aPerson({ id: 'sam', roles: [], lineManagerId: 'dan' })],
    ['helen', aPerson({ id: 'helen', roles: ['line-manager'] })],
    ['grace', aPerson({ id: 'grace', roles: [], lineManagerId: 'helen' })],
    ['audrey', aPerson({ id: 'audrey', roles: ['auditor'] })],
  ]);
  const rel: Relationship = { id: 'r1', kind: 'individual', supervisorId: 'dan', superviseeIds: ['sam'], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true };

  it('the person a disagreement asks to help resolve may read that record, and only once it is disputed', () => {
    expect(recordAccess(people.get('helen')!, rel, { status: 'disagreed' }, people, ['supervisor-line-manager'])).toBe('asked-to-resolve');
    expect(recordAccess(people.get('helen')!, rel, { status: 'submitted' }, people, ['supervisor-line-manager'])).toBeUndefined();
    expect(recordAccess(people.get('grace')!, rel, { status: 'disagreed' }, people, ['supervisor-line-manager'])).toBeUndefined();
    expect(recordAccess(people.get('sam')!, rel, { status: 'draft' }, people, [])).toBe('party');
    expect(recordAccess(people.get('audrey')!, rel, { status: 'draft' }, people, [])).toBe('auditor');
    // Nobody reachable in the policy's list: the supervisor's line manager.
    expect(recordAccess(people.get('helen')!, rel, { status: 'disagreed' }, people, ['supervisee-line-manager'])).toBe('asked-to-resolve');
  });
});
