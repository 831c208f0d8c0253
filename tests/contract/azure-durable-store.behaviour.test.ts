/**
 * The record store with its durable-work parts (claims, conversation
 * references, card messages) on Azure Tables over Azurite, the rest embedded:
 * the whole shared RecordStore behaviour suite, so the Azure parts are held to
 * the same semantics as the embedded and SharePoint stores. Then pruning.
 */
import { AzureDurableParts, withAzureDurableWork } from '../../src/adapters/azure/azureDurableStore';
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { useAzurite } from '../support/azurite';
import { recordStoreBehaviour } from './recordStoreBehaviour';

const azurite = useAzurite();

const fresh = () => new AzureDurableParts(new AzureStorage({ connectionString: azurite().connectionString, prefix: azurite().uniqueName('t') }));

recordStoreBehaviour('embedded records, durable work on Azure Tables (Azurite)', async (people) => {
  const db = openDatabase(':memory:');
  const base = new EmbeddedStore(db);
  for (const p of people) base.upsertPerson(p);
  return { store: withAzureDurableWork(base, fresh()), close: () => db.close() };
});

describe('Azure claim ledger: pruning', () => {
  it('deletes the claims of a kind made before the instant, keeps later ones and other kinds; a pruned key can be claimed again', async () => {
    const ledger = fresh();
    for (let i = 0; i < 130; i += 1) await ledger.claim('reminder', `o${i}|p`, `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T09:00:00.000Z`);
    await ledger.claim('digest-day', 'p|2026-11-01', '2026-11-01T09:00:00.000Z');
    const expected = (await ledger.listClaims('reminder')).filter((c) => c.at < '2026-11-10').length;
    expect(await ledger.pruneClaims('reminder', '2026-11-10T00:00:00.000Z')).toBe(expected);
    const left = await ledger.listClaims('reminder');
    expect(left).toHaveLength(130 - expected);
    expect(left.every((c) => c.at >= '2026-11-10')).toBe(true);
    expect(await ledger.listClaims('digest-day')).toHaveLength(1);
    expect(await ledger.claim('reminder', 'o0|p', '2026-12-01T09:00:00.000Z')).toBe(true);
    expect(await ledger.pruneClaims('reminder', '2026-11-10T00:00:00.000Z')).toBe(0);
  });
});
