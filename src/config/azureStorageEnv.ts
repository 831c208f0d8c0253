/**
 * The Azure Storage settings (tenant mode, optional): when
 * PT_AZURE_STORAGE_CONNECTION_STRING is set, durable work (outbox, leases,
 * claim ledger, subscription registry, delta cursors, conversation references,
 * relationship wake-ups, the shared Teams send budget) lives in that account's
 * Queues and Tables instead of SharePoint lists.
 *
 * The connection string is checked for shape here, at start-up, so a typo stops
 * the app with the variable named; `pt doctor` then checks it reaches the account.
 */
import { z } from 'zod';

/** Parses "Name=value;Name=value" (values may contain "="), case-insensitive names. */
export function connectionStringParts(value: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of value.split(';')) {
    if (!piece.trim()) continue;
    const at = piece.indexOf('=');
    if (at <= 0) throw new Error(`"${piece.slice(0, 20)}…" is not Name=value`);
    parts.set(piece.slice(0, at).trim().toLowerCase(), piece.slice(at + 1).trim());
  }
  return parts;
}

export const azureConnectionString = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    let parts: Map<string, string>;
    try {
      parts = connectionStringParts(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `must be an Azure Storage connection string (${(err as Error).message})` });
      return;
    }
    if (parts.get('usedevelopmentstorage') === 'true') return;
    const missing: string[] = [];
    if (!parts.get('accountname') && !parts.get('queueendpoint')) missing.push('AccountName');
    if (!parts.get('accountkey') && !parts.get('sharedaccesssignature')) missing.push('AccountKey or SharedAccessSignature');
    if (!parts.get('queueendpoint') !== !parts.get('tableendpoint')) missing.push(parts.get('queueendpoint') ? 'TableEndpoint' : 'QueueEndpoint');
    for (const name of ['queueendpoint', 'tableendpoint']) {
      const url = parts.get(name);
      if (url && !/^https?:\/\/[^\s/]+/.test(url)) ctx.addIssue({ code: 'custom', message: `${name === 'queueendpoint' ? 'QueueEndpoint' : 'TableEndpoint'} must be an http(s) URL` });
    }
    const protocol = parts.get('defaultendpointsprotocol');
    if (protocol && protocol !== 'https' && protocol !== 'http') ctx.addIssue({ code: 'custom', message: 'DefaultEndpointsProtocol must be https (or http for the local emulator)' });
    if (missing.length) ctx.addIssue({ code: 'custom', message: `must be an Azure Storage connection string; missing ${missing.join(', ')}` });
  });

export const azureStorageEnv = {
  /** Azure Storage account for durable work (Queues + Tables); unset: SharePoint lists hold it. */
  PT_AZURE_STORAGE_CONNECTION_STRING: azureConnectionString.optional(),
  /** Start of every table and queue name, so several deployments can share one account. */
  PT_AZURE_STORAGE_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,30}$/, 'must be lowercase letters and digits, starting with a letter (at most 31)').default('pt'),
};
