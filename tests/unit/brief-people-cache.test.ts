/** People looked up by id are reused for a minute: one lookup for concurrent callers, failures not kept, expiry honoured. */
import { BriefPeopleCache } from '../../src/adapters/briefPeopleCache';
import type { Person } from '../../src/domain/model';
import type { DirectoryPort } from '../../src/ports/directory';
import { aPerson } from '../support/builders';


function counting(answer: (id: string) => Promise<Person | undefined>) {
  const asked: string[] = [];
  const inner: DirectoryPort = {
    getPerson: (id) => (asked.push(id), answer(id)),
    findByAadObjectId: (id) => (asked.push(id), answer(id)),
    listPeople: async () => [],
    getLineManager: async () => undefined,
  };
  return { inner, asked };
}

test('concurrent and repeated lookups within the minute share one; after it, asked again', async () => {
  let t = 1_000_000;
  const { inner, asked } = counting(async (id) => aPerson({ id }));
  const cache = new BriefPeopleCache(inner, 60_000, () => t);
  const [a, b] = await Promise.all([cache.getPerson('p1'), cache.findByAadObjectId('p1')]);
  expect(a).toEqual(aPerson({ id: 'p1' }));
  expect(b).toBe(a);
  t += 59_000;
  await cache.getPerson('p1');
  expect(asked).toEqual(['p1']);
  t += 2_000;
  await cache.getPerson('p1');
  expect(asked).toEqual(['p1', 'p1']);
});

test('a failed lookup is not kept; "not found" is an answer', async () => {
  let fail = true;
  const { inner, asked } = counting(async (id) => {
    if (fail) throw new Error('throttled');
    return id === 'gone' ? undefined : aPerson({ id });
  });
  const cache = new BriefPeopleCache(inner, 60_000, () => 0);
  await expect(cache.getPerson('p1')).rejects.toThrow('throttled');
  fail = false;
  expect(await cache.getPerson('p1')).toEqual(aPerson({ id: 'p1' }));
  expect(await cache.getPerson('gone')).toBeUndefined();
  expect(await cache.getPerson('gone')).toBeUndefined();
  expect(asked).toEqual(['p1', 'p1', 'gone']);
});

test('a clock moved backwards does not keep an entry for ever; ttl 0 keeps nothing', async () => {
  let t = 100_000;
  const { inner, asked } = counting(async (id) => aPerson({ id }));
  const cache = new BriefPeopleCache(inner, 60_000, () => t);
  await cache.getPerson('p1');
  t = 0;
  await cache.getPerson('p1');
  expect(asked).toHaveLength(2);
  const none = new BriefPeopleCache(inner, 0, () => t);
  await none.getPerson('p2');
  await none.getPerson('p2');
  expect(asked.filter((x) => x === 'p2')).toHaveLength(2);
});

test('the listing of everyone is reused for the minute too, and not kept when it fails', async () => {
  let t = 0;
  let listings = 0;
  let fail = false;
  const inner: DirectoryPort = {
    getPerson: async (id) => aPerson({ id }),
    findByAadObjectId: async (id) => aPerson({ id }),
    listPeople: async () => {
      listings += 1;
      if (fail) throw new Error('throttled');
      return [aPerson({ id: 'p1' }), aPerson({ id: 'p2' })];
    },
    getLineManager: async () => undefined,
  };
  const cache = new BriefPeopleCache(inner, 60_000, () => t);
  expect(await cache.listPeople()).toHaveLength(2);
  await cache.listPeople();
  expect(listings).toBe(1);
  t = 61_000;
  fail = true;
  await expect(cache.listPeople()).rejects.toThrow('throttled');
  fail = false;
  expect(await cache.listPeople()).toHaveLength(2);
  expect(listings).toBe(3);
});
