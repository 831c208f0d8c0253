/**
 * `pt doctor`'s Azure Storage check: when PT_AZURE_STORAGE_CONNECTION_STRING is
 * set, the app keeps its durable work there, so the doctor makes sure the
 * account answers on both services it uses (Queues and Tables), and reports
 * how many failed work items wait in the poison queue.
 */
import { AzureStorage } from '../adapters/azure/azureStorage';
import type { TenantEnv } from '../config/env';

export interface AzureCheck {
  id: string;
  title: string;
  status: 'ok' | 'fail' | 'warn' | 'skip';
  detail: string;
  fix?: string;
}

export async function checkAzureStorage(env: TenantEnv): Promise<AzureCheck> {
  const title = 'Azure Storage (durable work)';
  if (!env.PT_AZURE_STORAGE_CONNECTION_STRING) {
    return { id: 'azure-storage', title, status: 'skip', detail: 'PT_AZURE_STORAGE_CONNECTION_STRING is not set: durable work is kept in SharePoint lists (fine for one instance and a small tenant)' };
  }
  try {
    const storage = new AzureStorage({ connectionString: env.PT_AZURE_STORAGE_CONNECTION_STRING, prefix: env.PT_AZURE_STORAGE_PREFIX });
    await storage.check();
    const poison = await (await storage.queue('poison')).getProperties();
    const waiting = poison.approximateMessagesCount ?? 0;
    if (waiting > 0) {
      return { id: 'azure-storage', title, status: 'warn', detail: `Queues and Tables answer; ${waiting} failed work item(s) in the poison queue ${storage.prefix}-poison`, fix: 'Read them (Azure portal, Storage browser) and the app log; they are retried but keep failing.' };
    }
    return { id: 'azure-storage', title, status: 'ok', detail: `Queues and Tables answer (names start with "${storage.prefix}")` };
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
    return {
      id: 'azure-storage',
      title,
      status: 'fail',
      detail: `could not use the storage account: ${message}`,
      fix: 'Check PT_AZURE_STORAGE_CONNECTION_STRING (Azure portal: the storage account, "Access keys"), that the account allows this server through its firewall, and that Queues and Tables are enabled.',
    };
  }
}
