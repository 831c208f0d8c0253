/**
 * Reaching someone who never opened the bot: install Protected Time for them
 * through Graph (TeamsAppInstallation.ReadWriteSelfForUser.All: this app
 * only), find the installation, and ask for its chat: the personal chat with
 * the bot, whose id is the conversation the connector sends to.
 *
 * Docs followed (api-reference/v1.0/api/): userteamwork-post-installedapps.md
 * (201; 409 Conflict when it is already installed), userteamwork-list-installedapps.md
 * ($expand=teamsApp, $filter on teamsApp/externalId), userscopeteamsappinstallation-get-chat.md.
 */
import { z } from 'zod';
import { GraphError } from '../graph/graphErrors';
import { type GraphHttp, odataString, seg } from '../graph/graphHttp';

export interface PersonalChat {
  chatId: string;
}

export interface TeamsAppInstallerOptions {
  http: GraphHttp;
  /** The app's id in the tenant's app catalog (for an org app uploaded by an admin this is its catalog id). */
  catalogAppId: string;
  /** The manifest id (externalId in the catalog), to find an existing installation. */
  manifestAppId: string;
}

const installations = z.object({ value: z.array(z.object({ id: z.string(), teamsApp: z.object({ id: z.string().nullish(), externalId: z.string().nullish() }).nullish() })) });
const chat = z.object({ id: z.string().min(1) });

export class TeamsAppInstaller {
  constructor(private readonly options: TeamsAppInstallerOptions) {}

  /**
   * Installs the app for the person if it is not yet installed and returns their chat with it;
   * undefined when Teams will not have it installed for them (a policy blocks it, no Teams licence).
   */
  async personalChat(aadObjectId: string): Promise<PersonalChat | undefined> {
    const { http, catalogAppId } = this.options;
    let installation = await this.find(aadObjectId);
    if (!installation) {
      try {
        await http.send({
          call: 'installTeamsApp',
          method: 'POST',
          path: `/users/${seg(aadObjectId)}/teamwork/installedApps`,
          body: { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}` },
          // Installing twice is refused with 409, which is an answer: safe to send again.
          idempotent: true,
        });
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        if (err.status === 403 || err.status === 404 || (err.status === 400 && !err.ambiguous)) return undefined;
        if (err.status !== 409) throw err;
      }
      installation = await this.find(aadObjectId);
      if (!installation) return undefined;
    }
    const found = await http.json({ call: 'getInstalledAppChat', method: 'GET', path: `/users/${seg(aadObjectId)}/teamwork/installedApps/${seg(installation)}/chat` }, chat);
    return { chatId: found.id };
  }

  private async find(aadObjectId: string): Promise<string | undefined> {
    const res = await this.options.http.json(
      {
        call: 'listInstalledApps',
        method: 'GET',
        path: `/users/${seg(aadObjectId)}/teamwork/installedApps`,
        query: { $expand: 'teamsApp', $filter: `teamsApp/externalId eq ${odataString(this.options.manifestAppId)}` },
      },
      installations,
    );
    return res.value.find((i) => i.teamsApp?.externalId === this.options.manifestAppId || i.teamsApp?.id === this.options.catalogAppId)?.id;
  }
}
