/**
 * The AgendaStore on SharePoint lists through Microsoft Graph (tenant mode),
 * with the embedded store's semantics (src/adapters/embedded/agendaStore.ts):
 * the contract tests run one behaviour suite against both
 * (tests/contract/agendaStoreBehaviour.ts).
 *
 * How it maps (lists 'pt-agenda' and 'pt-private-notes' in listSchema.ts):
 * - An agenda item is one list item; its identity is the unique `ptKey`
 *   (SHA-256 of its id), so adding the same id twice is SharePoint refusing the
 *   second create. Its text is in the body and never rewritten: the tick is
 *   written to its own columns (discussedIn/At/By), so an item's version
 *   history never holds wording it no longer has. Removal deletes the item,
 *   and with it its versions.
 * - A private note is one item per revision (key: author, session and the
 *   revision's write id): saving creates the new revision, then deletes the
 *   older ones, so an earlier text never lingers in version history. A reader
 *   takes the newest revision, so a save interrupted between the two steps
 *   still reads right and is tidied by the next save.
 * - Reads filter on one indexed column (relationshipId; authorId) and check
 *   the rest exactly here, on the body (SharePoint compares text without
 *   regard to case).
 */
import { randomUUID } from 'node:crypto';
import type { AgendaItem, PrivateNote } from '../../domain/agenda';
import type { AgendaStore } from '../../ports/agendaStore';
import type { GraphHttp } from '../graph/graphHttp';
import { writtenPart } from '../embedded/agendaStore';
import { BODY_COLUMN, KEY_COLUMN, WRITE_ID_COLUMN } from './listSchema';
import { type Fields, type ListItem as Item, ListItems, checkFields, cmp, cut, hashKey } from './listItems';
import * as schema from './sharepointSchemas';

export const AGENDA_LIST = 'pt-agenda';
export const NOTES_LIST = 'pt-private-notes';
const MAX_CREATE_ATTEMPTS = 3;

export interface SharePointAgendaStoreOptions {
  http: GraphHttp;
  site: { siteUrl: string } | { siteId: string };
  pageSize?: number;
}

export class SharePointAgendaStore implements AgendaStore {
  private readonly items: ListItems;
  private readonly http: GraphHttp;

  constructor(options: SharePointAgendaStoreOptions) {
    this.http = options.http;
    this.items = new ListItems({ http: options.http, site: options.site, pageSize: options.pageSize ?? 500, check: (list, fields) => checkFields(list, fields) });
  }

  async listAgendaItems(relationshipId: string): Promise<AgendaItem[]> {
    return (await this.agendaOf(relationshipId)).map((x) => x.item);
  }

  async addAgendaItem(item: AgendaItem): Promise<boolean> {
    const fields: Fields = {
      Title: cut(`agenda: ${item.sessionId}`),
      [KEY_COLUMN]: hashKey([item.id]),
      relationshipId: cut(item.relationshipId),
      sessionId: cut(item.sessionId),
      ...tick(item.discussedInSessionId ? { sessionId: item.discussedInSessionId, at: item.discussedAt ?? '', by: item.discussedBy ?? '' } : null),
      [BODY_COLUMN]: JSON.stringify(writtenPart(item)),
      [WRITE_ID_COLUMN]: randomUUID(),
    };
    return (await this.items.create(AGENDA_LIST, [item.id], fields, MAX_CREATE_ATTEMPTS)).outcome === 'created';
  }

  async markAgendaItem(relationshipId: string, itemId: string, discussed: { sessionId: string; at: string; by: string } | null): Promise<boolean> {
    const found = (await this.agendaOf(relationshipId)).find((x) => x.item.id === itemId);
    if (!found) return false;
    // The tick's columns only: the body (the text) is never written again.
    await this.http.json(await this.items.patchCall(AGENDA_LIST, found.itemId, tick(discussed)), schema.fieldValueSet);
    return true;
  }

  async removeAgendaItem(relationshipId: string, itemId: string): Promise<boolean> {
    const found = (await this.agendaOf(relationshipId)).find((x) => x.item.id === itemId);
    return found ? this.items.deleteItem(AGENDA_LIST, found.itemId) : false;
  }

  async getPrivateNote(sessionId: string, authorId: string): Promise<PrivateNote | undefined> {
    return newest((await this.notesOf(authorId)).filter((n) => n.note.sessionId === sessionId))?.note;
  }

  async listPrivateNotes(authorId: string): Promise<PrivateNote[]> {
    const bySession = new Map<string, { itemId: string; note: PrivateNote }[]>();
    for (const n of await this.notesOf(authorId)) bySession.set(n.note.sessionId, [...(bySession.get(n.note.sessionId) ?? []), n]);
    return [...bySession.values()].map((revisions) => newest(revisions)!.note).sort((a, b) => cmp(a.updatedAt, b.updatedAt) || cmp(a.sessionId, b.sessionId));
  }

  async savePrivateNote(note: PrivateNote): Promise<void> {
    const before = (await this.notesOf(note.authorId)).filter((n) => n.note.sessionId === note.sessionId);
    if (note.text) {
      const writeId = randomUUID();
      const body: PrivateNote = { sessionId: note.sessionId, relationshipId: note.relationshipId, authorId: note.authorId, text: note.text, updatedAt: note.updatedAt };
      await this.items.create(
        NOTES_LIST,
        [note.authorId, note.sessionId, writeId],
        { Title: cut(`note: ${note.sessionId}`), [KEY_COLUMN]: hashKey([note.authorId, note.sessionId, writeId]), authorId: cut(note.authorId), sessionId: cut(note.sessionId), updatedAt: note.updatedAt, [BODY_COLUMN]: JSON.stringify(body), [WRITE_ID_COLUMN]: writeId },
        MAX_CREATE_ATTEMPTS,
      );
    }
    // Earlier revisions go (their text with them), once the new one is safely written.
    for (const old of before) await this.items.deleteItem(NOTES_LIST, old.itemId);
  }

  private async agendaOf(relationshipId: string): Promise<{ itemId: string; item: AgendaItem }[]> {
    const items = await this.items.query(AGENDA_LIST, { column: 'relationshipId', op: 'eq', value: cut(relationshipId) });
    return items.map((i) => ({ itemId: i.itemId, item: agendaItemOf(i) })).filter((x) => x.item.relationshipId === relationshipId);
  }

  private async notesOf(authorId: string): Promise<{ itemId: string; note: PrivateNote }[]> {
    const items = await this.items.query(NOTES_LIST, { column: 'authorId', op: 'eq', value: cut(authorId) });
    return items.map((i) => ({ itemId: i.itemId, note: noteOf(i) })).filter((x) => x.note.authorId === authorId);
  }
}

function tick(d: { sessionId: string; at: string; by: string } | null): Fields {
  return { discussedIn: d ? cut(d.sessionId) : '', discussedAt: d?.at ?? '', discussedBy: d ? cut(d.by) : '' };
}

function bodyOf(list: string, i: Item): string {
  const raw = i.fields[BODY_COLUMN];
  if (typeof raw !== 'string') throw new Error(`${list} item ${i.itemId} has no ${BODY_COLUMN}: it was not written by Protected Time`);
  return raw;
}

function agendaItemOf(i: Item): AgendaItem {
  const w = JSON.parse(bodyOf(AGENDA_LIST, i)) as AgendaItem;
  const discussedIn = typeof i.fields.discussedIn === 'string' ? i.fields.discussedIn : '';
  return {
    ...writtenPart(w),
    ...(discussedIn ? { discussedInSessionId: discussedIn, discussedAt: String(i.fields.discussedAt ?? ''), discussedBy: String(i.fields.discussedBy ?? '') } : {}),
  };
}

function noteOf(i: Item): PrivateNote {
  const n = JSON.parse(bodyOf(NOTES_LIST, i)) as PrivateNote;
  return { sessionId: n.sessionId, relationshipId: n.relationshipId, authorId: n.authorId, text: n.text, updatedAt: n.updatedAt };
}

function newest<T extends { itemId: string; note: PrivateNote }>(xs: T[]): T | undefined {
  return xs.reduce<T | undefined>((best, x) => (!best || cmp(x.note.updatedAt, best.note.updatedAt) > 0 || (x.note.updatedAt === best.note.updatedAt && cmp(x.itemId, best.itemId) > 0) ? x : best), undefined);
}
