/**
 * One Azure Storage account (Queues and Tables) for the app's durable work:
 * clients made from the connection string, tables and queues created on first
 * use (once per process), and the few helpers every Azure adapter shares.
 *
 * Names: every table and queue the app uses starts with `prefix` (default "pt"),
 * so one account can hold several deployments (and each test its own set).
 * Azure's rules: table names are letters and digits, 3–63 characters, starting
 * with a letter; queue names lowercase letters, digits and single dashes.
 */
import { createHash } from 'node:crypto';
import { odata, RestError, TableClient, type TableEntityResult } from '@azure/data-tables';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';

export interface AzureStorageOptions {
  connectionString: string;
  /** Start of every table and queue name (letters and digits, lowercase). */
  prefix?: string;
}

export class AzureStorage {
  readonly prefix: string;
  private readonly tables = new Map<string, { client: TableClient; ready: Promise<void> }>();
  private readonly queues = new Map<string, { client: QueueClient; ready: Promise<void> }>();
  private queueService?: QueueServiceClient;

  constructor(private readonly options: AzureStorageOptions) {
    this.prefix = options.prefix ?? 'pt';
    if (!/^[a-z][a-z0-9]{0,30}$/.test(this.prefix)) throw new Error(`Azure Storage name prefix "${this.prefix}" must be lowercase letters and digits, starting with a letter`);
  }

  /** The table `name` (prefixed), created if it does not exist yet. */
  async table(name: string): Promise<TableClient> {
    let entry = this.tables.get(name);
    if (!entry) {
      const insecure = /DefaultEndpointsProtocol=http;|Endpoint=http:\/\//i.test(this.options.connectionString);
      const client = TableClient.fromConnectionString(this.options.connectionString, `${this.prefix}${name}`, { allowInsecureConnection: insecure });
      entry = { client, ready: client.createTable().catch((err: unknown) => (status(err) === 409 ? undefined : Promise.reject(err))) };
      entry.ready.catch(() => this.tables.delete(name));
      this.tables.set(name, entry);
    }
    await entry.ready;
    return entry.client;
  }

  /** The queue `name` (prefixed, with a dash), created if it does not exist yet. */
  async queue(name: string): Promise<QueueClient> {
    let entry = this.queues.get(name);
    if (!entry) {
      this.queueService ??= QueueServiceClient.fromConnectionString(this.options.connectionString);
      const client = this.queueService.getQueueClient(`${this.prefix}-${name}`);
      entry = { client, ready: client.createIfNotExists().then(() => undefined) };
      entry.ready.catch(() => this.queues.delete(name));
      this.queues.set(name, entry);
    }
    await entry.ready;
    return entry.client;
  }

  /** One cheap request to each service: what `pt doctor` runs. Throws with the service's message. */
  async check(): Promise<{ queues: boolean; tables: boolean }> {
    await this.table('doctor');
    await this.queue('doctor');
    return { queues: true, tables: true };
  }
}

/** The HTTP status of an Azure SDK error (undefined for anything else). */
export function status(err: unknown): number | undefined {
  return err instanceof RestError ? err.statusCode : (err as { statusCode?: number })?.statusCode;
}

/** Is it "the ETag no longer matches" (412) or "already exists" (409): someone else got there first. */
export function lostRace(err: unknown): boolean {
  const s = status(err);
  return s === 409 || s === 412;
}

/** An entity, or undefined when there is none (404). */
export async function getOrUndefined<T extends object>(table: TableClient, pk: string, rk: string): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(pk, rk);
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  }
}

/** All entities matching an OData filter (every page). */
export async function listAll<T extends object>(table: TableClient, filter: string, select?: string[]): Promise<TableEntityResult<T>[]> {
  const out: TableEntityResult<T>[] = [];
  for await (const e of table.listEntities<T>({ queryOptions: { filter, ...(select ? { select } : {}) } })) out.push(e);
  return out;
}

/**
 * A key as a PartitionKey or RowKey: Azure forbids / \ # ? and control
 * characters there, so those (and %) are percent-encoded. The encoding keeps
 * prefixes (enc(a + b) = enc(a) + enc(b)), so a prefix query on encoded keys
 * finds exactly the keys with that prefix; case is kept (keys are exact).
 */
export function tableKey(key: string): string {
  return key.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** An identity for keys of any length (RowKeys stop at 1 KiB): the SHA-256 of the parts. */
export function hashedKey(...parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A filter for RowKeys starting with `prefix` (encoded as tableKey does). */
export function rowKeyPrefix(prefix: string): string {
  const p = tableKey(prefix);
  return odata`RowKey ge ${p} and RowKey lt ${`${p}\uffff`}`;
}

export { odata };
