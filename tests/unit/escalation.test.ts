/**
 * Who hears about a relationship: one answer for rebook escalations, disagreements,
 * cancellations and the reminder ladder (it used to be two copies that disagreed on
 * what happens when the policy's targets reach nobody).
 */
import type { Person } from '../../src/domain/model';
import { escalationRecipients } from '../../src/usecases/escalation';
import { aPerson } from '../support/builders';

function directory(people: Person[]) {
  const calls: string[] = [];
  return {
    calls,
    directory: {
      async getPerson(id: string) {
        calls.push(`get:${id}`);
        return people.find((p) => p.id === id);
      },
      async listPeople() {
        calls.push('list');
        return people;
      },
    },
  };
}

const rel = { supervisorId: 'sup', superviseeIds: ['sam', 'amira'] };

describe('escalation recipients', () => {
  const people = [
    aPerson({ id: 'sup', lineManagerId: 'helen', roles: ['supervisor'] }),
    aPerson({ id: 'sam', lineManagerId: 'sup' }),
    aPerson({ id: 'amira', lineManagerId: 'sup' }),
    aPerson({ id: 'helen', roles: ['line-manager'] }),
    aPerson({ id: 'priya', roles: ['safeguarding-lead'] }),
  ];

  it('names each target once, in the order the policy gives them', async () => {
    const { directory: d } = directory(people);
    const got = await escalationRecipients({ directory: d }, rel, ['supervisee', 'supervisor', 'supervisee-line-manager', 'supervisor-line-manager', 'safeguarding-lead']);
    expect(got.map((p) => p.id)).toEqual(['sam', 'amira', 'sup', 'helen', 'priya']);
  });

  it("falls back to the supervisor's line manager when the targets reach nobody", async () => {
    const { directory: d } = directory(people.filter((p) => p.id !== 'priya'));
    expect((await escalationRecipients({ directory: d }, rel, ['safeguarding-lead'])).map((p) => p.id)).toEqual(['helen']);
    expect((await escalationRecipients({ directory: d }, rel, [])).map((p) => p.id)).toEqual(['helen']);
  });

  it('does not add the line manager when someone named is reachable', async () => {
    const { directory: d } = directory(people);
    expect((await escalationRecipients({ directory: d }, rel, ['supervisor'])).map((p) => p.id)).toEqual(['sup']);
  });

  it('returns nobody when even the fallback is missing (no line manager set)', async () => {
    const { directory: d } = directory([aPerson({ id: 'sup' })]);
    expect(await escalationRecipients({ directory: d }, rel, ['supervisee-line-manager'])).toEqual([]);
  });

  it('shares look-ups across calls through the cache a sweep passes', async () => {
    const { directory: d, calls } = directory(people);
    const cache = new Map<string, Person | undefined>();
    await escalationRecipients({ directory: d }, rel, ['supervisor-line-manager'], cache);
    await escalationRecipients({ directory: d }, rel, ['supervisor-line-manager'], cache);
    expect(calls).toEqual(['get:sup', 'get:helen']);
  });
});
