/**
 * SharePointAgendaStore against the in-memory SharePoint behind the fake Graph:
 * the shared AgendaStore behaviour suite (the embedded store passes the same
 * one), then what only SharePoint has to get right: agenda text is never
 * rewritten (a tick PATCHes its own columns only), and a note's earlier text is
 * deleted with its item rather than overwritten (no copy in version history).
 * Every request body is checked against the Graph v1.0 CSDL and the list's
 * columns (the harness's afterEach).
 */
import { SharePointAgendaStore } from '../../src/adapters/sharepoint/sharepointAgendaStore';
import { fake, provisionedSite, sp, useSharePointHarness } from '../support/sharePointHarness';
import { agendaStoreBehaviour } from './agendaStoreBehaviour';

useSharePointHarness();

const provisioned = (pageSize?: number) => provisionedSite((where) => ({ agenda: new SharePointAgendaStore({ ...where, pageSize }), peer: new SharePointAgendaStore({ ...where, pageSize }) }));

agendaStoreBehaviour('SharePoint lists over Graph', () => provisioned());
agendaStoreBehaviour('SharePoint lists over Graph, two items a page', () => provisioned(2));

const T0 = '2026-12-01T09:00:00.000Z';

describe('SharePointAgendaStore: no text in version history', () => {
  it('a tick writes only the tick columns; the body is written once, at creation', async () => {
    const { agenda } = await provisioned();
    await agenda.addAgendaItem({ id: 'a1', relationshipId: 'r1', sessionId: 's1', kind: 'added', text: 'The school referral', addedBy: 'p-sam', addedAt: T0 });
    fake.requests.length = 0;
    await agenda.markAgendaItem('r1', 'a1', { sessionId: 's1', at: T0, by: 'p-dan' });
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(Object.keys(patches[0]!.body as object).sort()).toEqual(['discussedAt', 'discussedBy', 'discussedIn']);
  });

  it('a note edit creates the new item and deletes the old one, never PATCHing text', async () => {
    const { agenda } = await provisioned();
    await agenda.savePrivateNote({ sessionId: 's1', relationshipId: 'r1', authorId: 'p-sam', text: 'first', updatedAt: T0 });
    await agenda.savePrivateNote({ sessionId: 's1', relationshipId: 'r1', authorId: 'p-sam', text: 'second', updatedAt: '2026-12-01T09:05:00.000Z' });
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(sp!.items('pt-private-notes').map((i) => JSON.parse(String(i.fields.ptBody)).text)).toEqual(['second']);
  });
});
