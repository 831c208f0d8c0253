/**
 * Tenant mode with PT_AZURE_STORAGE_CONNECTION_STRING: durable work on Azure
 * Storage (outbox, leases, claim ledger, subscription registry and delta
 * cursors, conversation and card references, relationship wake-ups, the shared
 * Teams send budget, the inbox of Graph change notifications); SharePoint keeps only what people own (relationships,
 * sessions, records, agreements, actions, grades, audit).
 */
import { AzureDurableParts, withAzureDurableWork } from '../adapters/azure/azureDurableStore';
import { AzureNotificationInbox } from '../adapters/azure/azureNotificationInbox';
import { AzureStorage } from '../adapters/azure/azureStorage';
import { AzureSubscriptionRegistry } from '../adapters/azure/azureSubscriptionRegistry';
import { AzureWorkQueue } from '../adapters/azure/azureWorkQueue';
import { AzureTimeline } from '../adapters/azure/azureTimeline';
import type { Timeline } from '../ports/timeline';
import type { TenantEnv } from '../config/env';
import type { LedgerPruning, WorkPruning } from '../ports/ledger';
import type { NotificationInbox } from '../ports/notificationInbox';
import type { RecordStore } from '../ports/store';
import type { SubscriptionRegistry } from '../ports/subscriptions';
import type { WorkQueue } from '../ports/workQueue';

export interface AzureDurableWork {
  storage: AzureStorage;
  work: WorkQueue;
  registry: SubscriptionRegistry;
  pruning: LedgerPruning;
  /** The same queue as `work`, for the daily prune of done items and run-out leases. */
  workPruning: WorkPruning;
  timeline: Timeline;
  /** Graph's change notifications between the webhook's answer and their processing, shared by every instance. */
  inbox: NotificationInbox;
  /** The record store with its durable-work parts moved to Azure. */
  wrap<S extends RecordStore>(store: S): S;
}

export function azureDurableWork(env: TenantEnv): AzureDurableWork | undefined {
  if (!env.PT_AZURE_STORAGE_CONNECTION_STRING) return undefined;
  const storage = new AzureStorage({ connectionString: env.PT_AZURE_STORAGE_CONNECTION_STRING, prefix: env.PT_AZURE_STORAGE_PREFIX });
  const parts = new AzureDurableParts(storage);
  const work = new AzureWorkQueue(storage);
  return { storage, work, registry: new AzureSubscriptionRegistry(storage), pruning: parts, workPruning: work, timeline: new AzureTimeline(storage), inbox: new AzureNotificationInbox(storage), wrap: (store) => withAzureDurableWork(store, parts) };
}
