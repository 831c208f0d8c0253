/**
 * Pruning on Azure Tables over Azurite: the claim ledger (AzureDurableParts)
 * and the outbox and leases (AzureWorkQueue), each test on its own tables.
 */
import { AzureDurableParts } from '../../src/adapters/azure/azureDurableStore';
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureWorkQueue } from '../../src/adapters/azure/azureWorkQueue';
import { useAzurite } from '../support/azurite';
import { pruningBehaviour } from './pruningBehaviour';

const azurite = useAzurite();

pruningBehaviour('Azure Tables (Azurite)', async () => {
  const storage = new AzureStorage({ connectionString: azurite().connectionString, prefix: azurite().uniqueName('t') });
  const parts = new AzureDurableParts(storage);
  const work = new AzureWorkQueue(storage);
  return { ledger: parts, pruning: parts, work, workPruning: work };
});
