/**
 * PT_AZURE_STORAGE_CONNECTION_STRING: checked for shape at start-up (the
 * variable named, its value hidden), and `pt doctor` checks the account
 * answers, against Azurite.
 */
import { ConfigError, loadConfig, type TenantEnv } from '../../src/config/env';
import { runDoctor } from '../../src/tenant/doctor';
import { checkAzureStorage } from '../../src/tenant/azureStorageCheck';
import path from 'node:path';
import { AzureSubscriptionRegistry } from '../../src/adapters/azure/azureSubscriptionRegistry';
import { AzureTimeline } from '../../src/adapters/azure/azureTimeline';
import { AzureTokenBucket } from '../../src/adapters/azure/azureTokenBucket';
import { AzureWorkQueue } from '../../src/adapters/azure/azureWorkQueue';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { SharePointWorkQueue } from '../../src/adapters/sharepoint/sharepointWorkQueue';
import { createLogger } from '../../src/logging';
import { createServices } from '../../src/runtime/services';
import { useAzurite } from '../support/azurite';
import { AzureDurableParts } from '../../src/adapters/azure/azureDurableStore';

const azurite = useAzurite();

const TENANT = {
  PT_MODE: 'tenant',
  PT_PUBLIC_URL: 'https://pt.contoso.example',
  TENANT_ID: '11111111-2222-3333-4444-555555555555',
  CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  CLIENT_SECRET: 'x',
  APPLICATION_ID_URI: 'api://pt.contoso.example/66666666-7777-8888-9999-000000000000',
  SHAREPOINT_SITE_URL: 'https://contoso.sharepoint.com/sites/pt',
  PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777',
  TEAMS_APP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('Azure Storage settings', () => {
  it('are optional; a real-looking connection string and prefix are accepted', () => {
    expect((loadConfig(TENANT).env as TenantEnv).PT_AZURE_STORAGE_CONNECTION_STRING).toBeUndefined();
    const env = loadConfig({ ...TENANT, PT_AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=ptstore;AccountKey=abc==;EndpointSuffix=core.windows.net', PT_AZURE_STORAGE_PREFIX: 'ptprod' }).env as TenantEnv;
    expect(env.PT_AZURE_STORAGE_PREFIX).toBe('ptprod');
    expect(loadConfig({ ...TENANT, PT_AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString }).mode).toBe('tenant');
  });

  it('a malformed connection string stops start-up naming the variable, never showing the key', () => {
    const bad = problems({ ...TENANT, PT_AZURE_STORAGE_CONNECTION_STRING: 'AccountName=ptstore;EndpointSuffix=core.windows.net;Secret' });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^PT_AZURE_STORAGE_CONNECTION_STRING \(value hidden\): must be an Azure Storage connection string/);
    const noKey = problems({ ...TENANT, PT_AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=ptstore;EndpointSuffix=core.windows.net' });
    expect(noKey[0]).toMatch(/missing AccountKey or SharedAccessSignature/);
    expect(noKey.join()).not.toMatch(/ptstore/);
    expect(problems({ ...TENANT, PT_AZURE_STORAGE_PREFIX: 'PT-Prod' })[0]).toMatch(/^PT_AZURE_STORAGE_PREFIX \("PT-Prod"\): must be lowercase/);
  });

  it('pt doctor: ok when the account answers on Queues and Tables; fails with a fix when it does not', async () => {
    const env = loadConfig({ ...TENANT, PT_AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString, PT_AZURE_STORAGE_PREFIX: azurite().uniqueName('d') }).env as TenantEnv;
    expect(await checkAzureStorage(env)).toMatchObject({ id: 'azure-storage', status: 'ok' });
    const closed = azurite().connectionString.replace(/:(\d+)\/devstoreaccount1/g, ':1/devstoreaccount1');
    const down = await checkAzureStorage({ ...env, PT_AZURE_STORAGE_CONNECTION_STRING: closed });
    expect(down).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^could not use the storage account/), fix: expect.stringMatching(/PT_AZURE_STORAGE_CONNECTION_STRING/) });
    // In the whole report, right after the configuration (the Entra checks fail here: no tenant to ask).
    const report = await runDoctor({ ...TENANT, PT_AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString }, { fetch: (async () => { throw new Error('offline'); }) as typeof fetch, acquireToken: async () => { throw new Error('AADSTS90002: offline'); }, timeoutMs: 100 });
    expect(report.checks.map((c) => c.id).slice(0, 3)).toEqual(['config', 'azure-storage', 'token']);
    expect(report.checks[1]!.status).toBe('ok');
  }, 60_000);
});

describe('tenant mode composed with Azure Storage', () => {
  it('keeps durable work on Azure (outbox, leases, ledger, registry, timelines, the shared Teams budget) and records in SharePoint; without it, SharePoint as before', async () => {
    const root = path.resolve(__dirname, '..', '..');
    const deps = { graphBaseUrl: 'http://127.0.0.1:1/v1.0', tokenSource: staticTokenSource('t') };
    const prefix = azurite().uniqueName('c');
    const withAzure = await createServices(loadConfig({ ...TENANT, PT_LOG_LEVEL: 'silent', PT_AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString, PT_AZURE_STORAGE_PREFIX: prefix }, root), createLogger('silent'), undefined, deps);
    expect(withAzure.work).toBeInstanceOf(AzureWorkQueue);
    expect(withAzure.graph!.registry).toBeInstanceOf(AzureSubscriptionRegistry);
    expect(withAzure.timeline).toBeInstanceOf(AzureTimeline);
    expect(withAzure.sendBudget).toBeInstanceOf(AzureTokenBucket);
    expect(withAzure.pruning).toBeInstanceOf(AzureDurableParts);
    // The ledger is on Azure: a claim works with SharePoint unreachable (the Graph URL above is a closed port).
    expect(await withAzure.store.claim('reminder', 'k', '2026-12-01T09:00:00.000Z')).toBe(true);
    expect((await withAzure.store.listClaims('reminder')).map((c) => c.key)).toEqual(['k']);
    await withAzure.close();
    const without = await createServices(loadConfig({ ...TENANT, PT_LOG_LEVEL: 'silent' }, root), createLogger('silent'), undefined, deps);
    expect(without.work).toBeInstanceOf(SharePointWorkQueue);
    expect(without.timeline).toBeUndefined();
    expect(without.sendBudget).toBeUndefined();
    await without.close();
  }, 60_000);
});
