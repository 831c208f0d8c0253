/**
 * Tenant mode over the fakes, for the integration tests: a fake SharePoint site
 * behind the fake Graph, provisioned as `pt provision` leaves it, and the
 * environment of an instance configured for it.
 */
import os from 'node:os';
import path from 'node:path';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import { provisionSite } from '../../src/adapters/sharepoint/provision';
import type { FakeGraph } from './fakeGraph';
import { FakeSharePoint } from './fakeSharePoint';

/** The Entra group whose members are the app's people (PEOPLE_GROUP_ID). */
export const PEOPLE_GROUP = '77777777-7777-4777-8777-777777777777';

export interface TenantSite {
  sp: FakeSharePoint;
  /** The instance's data directory (PT_DATA_DIR): named, not created. */
  dataDir: string;
}

/**
 * A new SharePoint behind `fake` (its routes and recorded requests cleared),
 * provisioned, and a new data directory name starting with `prefix`; the
 * provisioning's requests are forgotten.
 */
export async function provisionedTenantSite(fake: FakeGraph, prefix: string): Promise<TenantSite> {
  fake.reset();
  const sp = new FakeSharePoint(fake);
  const dataDir = path.join(os.tmpdir(), `${prefix}-${process.pid}-${Date.now()}`);
  await provisionSite(new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 1 }), sp.siteUrl);
  fake.requests.length = 0;
  fake.httpRequests.length = 0;
  return { sp, dataDir };
}

/** The environment of a tenant-mode instance on `site` (a client secret, no certificate), with `overrides`. */
export function tenantEnvFor(site: TenantSite, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PT_MODE: 'tenant',
    PT_PUBLIC_URL: 'https://pt.contoso.example',
    PT_DATA_DIR: site.dataDir,
    PT_LOG_LEVEL: 'silent',
    TENANT_ID: '11111111-2222-4333-8444-555555555555',
    CLIENT_ID: '66666666-7777-4888-9999-000000000000',
    CLIENT_SECRET: 'not-a-real-secret',
    APPLICATION_ID_URI: 'api://pt.contoso.example/66666666-7777-4888-9999-000000000000',
    SHAREPOINT_SITE_URL: site.sp.siteUrl,
    PEOPLE_GROUP_ID: PEOPLE_GROUP,
    TEAMS_APP_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    ...overrides,
  };
}
