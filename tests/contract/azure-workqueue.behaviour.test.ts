/**
 * AzureWorkQueue on Azurite (the real Azure Storage emulator, started by the
 * test): the shared WorkQueue behaviour suite the embedded and SharePoint
 * queues pass. Each test gets its own tables (a fresh prefix); the peer is a
 * second AzureStorage on the same account, as another process would have.
 */
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureWorkQueue } from '../../src/adapters/azure/azureWorkQueue';
import { useAzurite } from '../support/azurite';
import { workQueueBehaviour } from './workQueueBehaviour';

const azurite = useAzurite();

workQueueBehaviour('Azure Tables (Azurite)', async () => {
  const prefix = azurite().uniqueName('t');
  const connectionString = azurite().connectionString;
  return { work: new AzureWorkQueue(new AzureStorage({ connectionString, prefix })), peer: new AzureWorkQueue(new AzureStorage({ connectionString, prefix })) };
});
