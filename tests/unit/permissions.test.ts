/**
 * One list of permissions (src/tenant/permissions.ts), and everything that
 * requests or documents permissions agrees with it: the Entra app manifest
 * (aad.manifest.json), the Teams app manifest's RSC, and the setup guide.
 */
import { HOST_CLIENT_IDS } from '../../src/server/auth/tabTokens';
import fs from 'node:fs';
import path from 'node:path';
import { APP_LISTS } from '../../src/tenant/lists';
import {
  GRAPH_RESOURCE_APP_ID, PERMISSIONS, permissionTableMarkdown, permissionsOfType, requiredGraphResourceAccess, resourceSpecificPermissions,
} from '../../src/tenant/permissions';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const aad = JSON.parse(read('aad.manifest.json'));
const teams = JSON.parse(read('manifest/manifest.template.json'));
const guide = read('docs/tenant-setup.md');

/** Microsoft Graph's published ids (permissions reference), typed out independently of the list. */
const GRAPH_IDS: Record<string, { Role?: string; Scope?: string }> = {
  'Calendars.ReadWrite': { Role: 'ef54d2bf-783f-4e0f-bca1-3210c0444d99' },
  'User.Read.All': { Role: 'df021288-bdef-4463-88db-98f22de89214' },
  'GroupMember.Read.All': { Role: '98830695-27a2-44f7-8c18-0c3ebc9698f6' },
  'Sites.Selected': { Role: '883ea226-0bf2-4a8f-9f9d-92c9162a727d' },
  'TeamsAppInstallation.ReadWriteSelfForUser.All': { Role: '908de74d-f8b2-4d6b-a9ed-2a17b3b78179' },
  'User.Read': { Scope: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d' },
};

const TEAMS_AND_OFFICE_CLIENTS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
  '27922004-5251-4030-b22d-91ecd9a37ea4',
];

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

describe('the permission list', () => {
  it('has a feature, a reason and a way to check every entry, once each', () => {
    expect(new Set(PERMISSIONS.map((p) => p.permission)).size).toBe(PERMISSIONS.length);
    for (const p of PERMISSIONS) {
      expect(p.feature.length).toBeGreaterThan(5);
      expect(p.reason.length).toBeGreaterThan(40);
      expect(p.checkedBy.length).toBeGreaterThan(10);
      if (p.type === 'RSC') expect(p.id).toBeUndefined();
      else expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it("uses Graph's published ids", () => {
    for (const p of PERMISSIONS.filter((x) => x.type !== 'RSC')) {
      expect({ permission: p.permission, id: p.id }).toEqual({ permission: p.permission, id: GRAPH_IDS[p.permission]?.[p.type === 'Application' ? 'Role' : 'Scope'] });
    }
  });

  it('asks for nothing tenant-wide where a narrower permission exists', () => {
    const broad = ['Sites.ReadWrite.All', 'Sites.Read.All', 'Sites.Manage.All', 'Sites.FullControl.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'User.ReadWrite.All', 'Mail.Read', 'Mail.Send', 'Calendars.ReadWrite.Shared', 'TeamsAppInstallation.ReadWriteForUser.All', 'Chat.ReadWrite.All', 'OnlineMeetings.ReadWrite.All'];
    expect(PERMISSIONS.map((p) => p.permission).filter((p) => broad.includes(p))).toEqual([]);
  });

  it('includes what the issue names: calendars, the selected site, self-installation and users', () => {
    expect(permissionsOfType('Application').map((p) => p.permission)).toEqual(
      expect.arrayContaining(['Calendars.ReadWrite', 'Sites.Selected', 'TeamsAppInstallation.ReadWriteSelfForUser.All', 'User.Read.All']),
    );
    expect(permissionsOfType('RSC').map((p) => p.permission)).toEqual([]);
  });
});

describe('aad.manifest.json (the Entra app registration)', () => {
  it("requests exactly the list's Graph permissions, and no other API", () => {
    expect(aad.requiredResourceAccess).toHaveLength(1);
    expect(aad.requiredResourceAccess[0].resourceAppId).toBe(GRAPH_RESOURCE_APP_ID);
    expect([...aad.requiredResourceAccess[0].resourceAccess].sort(byId)).toEqual([...requiredGraphResourceAccess()].sort(byId));
  });

  it('is single tenant, exposes access_as_user and pre-authorises Teams, Outlook and the Microsoft 365 app', () => {
    expect(aad.signInAudience).toBe('AzureADMyOrg');
    expect(aad.accessTokenAcceptedVersion).toBe(2);
    expect(aad.identifierUris).toEqual(['${{AAD_APP_ID_URI}}']);
    expect(aad.oauth2Permissions).toEqual([
      expect.objectContaining({ value: 'access_as_user', type: 'User', isEnabled: true, id: '${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}' }),
    ]);
    expect(aad.preAuthorizedApplications.map((a: { appId: string }) => a.appId).sort()).toEqual([...TEAMS_AND_OFFICE_CLIENTS].sort());
    // The server accepts tab tokens only from these clients (and the app itself): the same list.
    expect([...HOST_CLIENT_IDS].sort()).toEqual([...TEAMS_AND_OFFICE_CLIENTS].sort());
    for (const a of aad.preAuthorizedApplications) expect(a.permissionIds).toEqual(['${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}']);
  });

  it('has the single-page-app redirects nested app auth and the browser need', () => {
    expect(aad.replyUrlsWithType).toEqual(
      expect.arrayContaining([
        { url: 'brk-multihub://${{TAB_DOMAIN}}', type: 'Spa' },
        { url: '${{TAB_ENDPOINT}}/tab/', type: 'Spa' },
      ]),
    );
  });
});

describe('the Teams app manifest', () => {
  it('declares exactly the RSC permissions in the list', () => {
    expect(teams.authorization.permissions.resourceSpecific).toEqual(resourceSpecificPermissions());
  });
});

describe('the Agents Toolkit project', () => {
  it('applies aad.manifest.json and packages manifest/manifest.template.json', () => {
    for (const file of ['m365agents.yml', 'm365agents.local.yml']) {
      const yml = read(file);
      for (const action of ['aadApp/create', 'aadApp/update', 'botFramework/create', 'teamsApp/create', 'teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/update']) {
        expect({ file, action, present: yml.includes(`uses: ${action}`) }).toEqual({ file, action, present: true });
      }
      expect(yml).toContain('manifestPath: ./aad.manifest.json');
      expect(yml).toContain('manifestPath: ./manifest/manifest.template.json');
      expect(yml).toContain('signInAudience: AzureADMyOrg');
      expect(yml).toMatch(/^version: v1\.\d+$/m);
    }
  });
});

describe('docs/tenant-setup.md', () => {
  it('carries the permission table generated from the list, unchanged (and so does the README)', () => {
    for (const doc of [guide, read('README.md')]) {
      const between = /<!-- permissions:start[^>]*-->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(doc);
      expect(between?.[1]).toBe(permissionTableMarkdown());
    }
  });

  it('lists every permission, with its id, where admins add them', () => {
    for (const p of PERMISSIONS) {
      expect(guide).toContain(`\`${p.permission}\``);
      if (p.id) expect(guide).toContain(`| \`${p.permission}\` | ${p.type === 'Application' ? 'Role' : 'Scope'} | \`${p.id}\` |`);
    }
    const applicationStep = /\*\*Application permissions\*\*: (.*)\n/.exec(guide)?.[1] ?? '';
    expect(applicationStep.match(/`[^`]+`/g)?.map((s) => s.slice(1, -1)).sort()).toEqual(permissionsOfType('Application').map((p) => p.permission).sort());
  });

  it('covers each step the issue asks for', () => {
    for (const needle of [
      'access_as_user',
      ...TEAMS_AND_OFFICE_CLIENTS,
      'brk-multihub://<host>',
      'Grant admin consent',
      'POST https://graph.microsoft.com/v1.0/sites/{site-id}/permissions',
      '"roles": ["write"]',
      'pt provision --site <site-url>',
      'npm run package',
      'Upload new app',
      'atk provision',
      'pt doctor',
      'CLIENT_CERTIFICATE_PATH',
      'CLIENT_SECRET',
      ...APP_LISTS,
    ]) {
      expect({ needle, present: guide.includes(needle) }).toEqual({ needle, present: true });
    }
  });

  it('names every tenant-mode variable the app requires', () => {
    const envSource = read('src/config/env.ts');
    const tenantBlock = /const tenantSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(envSource)?.[1] ?? '';
    const names = [...tenantBlock.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect({ name, present: guide.includes(`\`${name}\``) }).toEqual({ name, present: true });
  });
});
