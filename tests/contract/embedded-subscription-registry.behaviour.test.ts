/**
 * The embedded subscription registry (SQLite) against the shared
 * SubscriptionRegistry behaviour suite: the semantics the SharePoint registry
 * is held to (sharepoint-subscription-registry.contract.test.ts). The peer is a
 * second registry on the same database, as a second process on the same file would be.
 */
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedSubscriptionRegistry } from '../../src/adapters/embedded/subscriptionRegistry';
import { subscriptionRegistryBehaviour } from './subscriptionRegistryBehaviour';

subscriptionRegistryBehaviour('embedded (SQLite)', async () => {
  const db = openDatabase(':memory:');
  return { registry: new EmbeddedSubscriptionRegistry(db), peer: new EmbeddedSubscriptionRegistry(db), close: () => db.close() };
});
