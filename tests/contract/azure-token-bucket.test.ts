/**
 * The Teams send budget shared by instances (AzureTokenBucket) on Azurite:
 * three buckets on one account (three instances) together never go faster
 * than the rate (plus the burst), each gets a share, and nobody waits forever.
 */
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureTokenBucket } from '../../src/adapters/azure/azureTokenBucket';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
jest.setTimeout(60_000);

it('three instances share one rate: at most burst + rate a second in any window, all of it used', async () => {
  const prefix = azurite().uniqueName('b');
  const rate = 20;
  const buckets = [0, 1, 2].map(() => new AzureTokenBucket(new AzureStorage({ connectionString: azurite().connectionString, prefix }), { perSecond: rate, burst: 4 }));
  const sends: { at: number; who: number }[] = [];
  const start = Date.now();
  await Promise.all(
    buckets.map(async (b, who) => {
      for (let i = 0; i < 25; i += 1) {
        await b.take();
        sends.push({ at: Date.now(), who });
      }
    }),
  );
  const elapsed = (Date.now() - start) / 1000;
  // 75 sends at 20/s with 4 in the bucket: at least (75 - 4) / 20 s.
  expect(elapsed).toBeGreaterThanOrEqual((75 - 4) / rate - 0.1);
  // And used: no slower than 60 % of the rate on a busy test machine.
  expect(75 / elapsed).toBeGreaterThan(rate * 0.6);
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= 1000) j += 1;
    worst = Math.max(worst, i - j + 1);
  }
  expect(worst).toBeLessThanOrEqual(4 + rate * 1.25);
  for (const who of [0, 1, 2]) expect(sends.filter((s) => s.who === who)).toHaveLength(25);
});
