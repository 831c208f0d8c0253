/**
 * THE list of Microsoft Graph permissions Protected Time asks a tenant for.
 * Nothing else in the app may need a permission that is not here: the Entra
 * app manifest (aad.manifest.json), the Teams app manifest's resource-specific
 * consent, the setup guide (docs/tenant-setup.md) and `pt doctor` are all
 * checked against this list by tests (tests/unit/permissions.test.ts).
 *
 * Least privilege: every entry is the narrowest permission Graph offers for
 * what the feature does, with the reason an admin can read before consenting.
 */

/** Microsoft Graph's application id (the resource every entry below belongs to). */
export const GRAPH_RESOURCE_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * Application: app-only (the bot and background jobs, no signed-in user), admin consent.
 * Delegated: on behalf of the signed-in user of the tab.
 * RSC: resource-specific consent, granted per meeting chat when the app is added
 * there; declared in the Teams app manifest, not in the Entra registration.
 */
export type PermissionType = 'Application' | 'Delegated' | 'RSC';

export interface PermissionRequirement {
  permission: string;
  type: PermissionType;
  /**
   * Graph's id for the permission: the app role id (Application) or the
   * oauth2 permission scope id (Delegated). RSC permissions have no id here.
   */
  id?: string;
  /** The feature that needs it, in the words of the README. */
  feature: string;
  /** Why this permission and not a broader one. */
  reason: string;
  /** How `pt doctor` (or the admin) can tell it is granted. */
  checkedBy: string;
}

export const PERMISSIONS: readonly PermissionRequirement[] = [
  {
    permission: 'Calendars.ReadWrite',
    type: 'Application',
    id: 'ef54d2bf-783f-4e0f-bca1-3210c0444d99',
    feature: 'Booking and rebooking supervision',
    reason:
      "Books sessions into the supervisor's calendar with the supervisee invited, reads free/busy (and, from the same answer, each person's working hours and time zone, so no MailboxSettings.Read is needed) to find a slot, and sees cancellations so it can rebook. Restrict it to supervision staff with an Exchange Online application access policy (or RBAC for Applications) scoped to a mail-enabled security group.",
    checkedBy: "pt doctor: the app-only token's roles claim contains Calendars.ReadWrite",
  },
  {
    permission: 'User.Read.All',
    type: 'Application',
    id: 'df021288-bdef-4463-88db-98f22de89214',
    feature: 'People and line managers',
    reason:
      "Reads people's names, job titles and departments, and each person's manager, to know who supervises whom and whom to tell when supervision slips. Graph's manager relationship needs User.Read.All (User.ReadBasic.All cannot read it).",
    checkedBy: "pt doctor: the app-only token's roles claim contains User.Read.All",
  },
  {
    permission: 'GroupMember.Read.All',
    type: 'Application',
    id: '98830695-27a2-44f7-8c18-0c3ebc9698f6',
    feature: 'Who is in scope',
    reason:
      'Reads the members of the security groups that define who uses Protected Time (practitioners, supervisors, safeguarding leads), so nobody outside them is ever read or booked. Membership only: not group content.',
    checkedBy: "pt doctor: the app-only token's roles claim contains GroupMember.Read.All",
  },
  {
    permission: 'Sites.Selected',
    type: 'Application',
    id: '883ea226-0bf2-4a8f-9f9d-92c9162a727d',
    feature: 'Supervision records (SharePoint lists)',
    reason:
      'Reads and writes the app\'s lists on the one SharePoint site an admin grants it (POST /sites/{id}/permissions with role "write"). Grants nothing on any other site, unlike Sites.ReadWrite.All.',
    checkedBy: "pt doctor: roles claim contains Sites.Selected, then GET /sites/{hostname}:/{path} succeeds and every list in src/tenant/lists.ts exists",
  },
  {
    permission: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
    type: 'Application',
    id: '908de74d-f8b2-4d6b-a9ed-2a17b3b78179',
    feature: 'Reminders and record forms in Teams chat',
    reason:
      'Installs Protected Time itself (and no other app) for a person who has not opened it yet, so the bot can send them a reminder or a record form in a personal chat.',
    checkedBy: "pt doctor: the app-only token's roles claim contains TeamsAppInstallation.ReadWriteSelfForUser.All",
  },
  {
    permission: 'User.Read',
    type: 'Delegated',
    id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
    feature: 'Signing in to the tab',
    reason:
      "Lets people sign in to the tab (Teams, Outlook, the Microsoft 365 app) with their work account. The tab asks only for this app's own access_as_user scope; the server never calls Graph with a user's token.",
    checkedBy: 'Granted with admin consent in Entra ID (API permissions); pt doctor cannot test a delegated permission without a user, so it reports it for the admin to confirm',
  },
];

export function permissionsOfType(type: PermissionType): PermissionRequirement[] {
  return PERMISSIONS.filter((p) => p.type === type);
}

/** The Graph resourceAccess entries an Entra app registration must request. */
export function requiredGraphResourceAccess(): { id: string; type: 'Role' | 'Scope' }[] {
  return PERMISSIONS.filter((p) => p.type !== 'RSC').map((p) => ({ id: p.id!, type: p.type === 'Application' ? ('Role' as const) : ('Scope' as const) }));
}

/** The Teams app manifest's authorization.permissions.resourceSpecific entries. */
export function resourceSpecificPermissions(): { name: string; type: 'Application' }[] {
  return permissionsOfType('RSC').map((p) => ({ name: p.permission, type: 'Application' as const }));
}

/** The permission table for docs/tenant-setup.md (a test keeps the guide in step). */
export function permissionTableMarkdown(): string {
  const rows = PERMISSIONS.map((p) => `| \`${p.permission}\` | ${p.type} | ${p.feature} | ${p.reason} |`);
  return ['| Permission | Type | Feature | Why (least privilege) |', '|---|---|---|---|', ...rows].join('\n');
}
