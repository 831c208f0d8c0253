/**
 * AzureSubscriptionRegistry on Azurite: the shared SubscriptionRegistry
 * behaviour suite the embedded and SharePoint registries pass. Fresh tables per
 * test; the peer is a second AzureStorage on the same account (another process).
 */
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureSubscriptionRegistry } from '../../src/adapters/azure/azureSubscriptionRegistry';
import { useAzurite } from '../support/azurite';
import { subscriptionRegistryBehaviour } from './subscriptionRegistryBehaviour';

const azurite = useAzurite();

subscriptionRegistryBehaviour('Azure Tables (Azurite)', async () => {
  const prefix = azurite().uniqueName('t');
  const connectionString = azurite().connectionString;
  return { registry: new AzureSubscriptionRegistry(new AzureStorage({ connectionString, prefix })), peer: new AzureSubscriptionRegistry(new AzureStorage({ connectionString, prefix })) };
});
