/** The notification inbox in a local directory (tenant mode without Azure Storage) against the shared behaviour suite. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphInbox } from '../../src/adapters/graph/graphInbox';
import { notificationInboxBehaviour } from './notificationInboxBehaviour';

jest.setTimeout(60_000);

notificationInboxBehaviour('local directory', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-inbox-'));
  const options = { holdMs: 1000, maxTakes: 3 };
  // Another instance of a local directory is this process after a restart: a fresh inbox over the same files.
  return { inbox: new GraphInbox(dir, options), other: () => new GraphInbox(dir, options), close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

describe('GraphInbox: the directory underneath', () => {
  it('a delivery stored by the version before this one (<id>.json) is taken after the upgrade', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-inbox-'));
    const id = `${Date.now().toString().padStart(15, '0')}-7f105c7d-2dc5-4530-97cd-4e7ae6534c07`;
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ id, endpoint: 'notifications', body: { value: [] } }));
    const got = await new GraphInbox(dir).take(10);
    expect(got.entries.map((e) => [e.id, e.attempts])).toEqual([[id, 1]]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('full: put answers undefined (the webhook then asks Graph to deliver again)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-inbox-'));
    const inbox = new GraphInbox(dir, { maxPending: 1 });
    expect(await inbox.put('notifications', { value: [] })).toHaveLength(1);
    expect(await inbox.put('notifications', { value: [] })).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
