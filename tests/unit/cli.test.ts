import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { policyPackJsonSchema, runCli } from '../../src/cli/pt';

const ROOT = path.resolve(__dirname, '..', '..');

async function pt(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s), env, cwd: ROOT });
  return { code, out, err };
}

describe('pt', () => {
  it('validates good packs', async () => {
    const r = await pt(['policy', 'validate', 'policies/staffordshire-stoke-icb.json', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([{ file: 'policies/staffordshire-stoke-icb.json', ok: true, id: 'staffordshire-stoke-icb' }]);
  });

  it('refuses a broken pack, naming the field, with a non-zero exit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-cli-'));
    const pack = JSON.parse(fs.readFileSync(path.join(ROOT, 'policies/staffordshire-stoke-icb.json'), 'utf8'));
    pack.staffGroups[0].duration.maxMinutes = 30;
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, JSON.stringify(pack));
    const text = await pt(['policy', 'validate', file]);
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/staffGroups\[0\]\.duration\.defaultMinutes: defaultMinutes must lie between/);
    const json = await pt(['policy', 'validate', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)[0].ok).toBe(false);
    fs.writeFileSync(file, '{ not json');
    expect((await pt(['policy', 'validate', file])).err).toMatch(/\(file\):/);
  });

  it('lists the packs the app would load', async () => {
    const r = await pt(['policy', 'list', '--json']);
    expect(r.code).toBe(0);
    const ids = JSON.parse(r.out).map((p: { id: string }) => p.id);
    expect(ids).toEqual(['leicestershire-cfs', 'lingfield-education-trust', 'south-gloucestershire-scb', 'staffordshire-stoke-icb', 'westmorland-furness-scp']);
  });

  it('fails clearly when the policy directory is missing or the environment is bad', async () => {
    expect((await pt(['policy', 'list', '--dir', '/nonexistent'])).err).toMatch(/does not exist/);
    const bad = await pt(['policy', 'list'], { PT_LOG_LEVEL: 'loud' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/PT_LOG_LEVEL/);
  });

  it('rejects unknown commands with a usage error', async () => {
    const r = await pt(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command/);
  });

  it('seeds a local database idempotently', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-seed-'));
    const first = await pt(['seed', '--json'], { PT_DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ people: 8, seriesCreated: 2 });
    const second = await pt(['seed', '--json'], { PT_DATA_DIR: dataDir });
    expect(JSON.parse(second.out)).toMatchObject({ seriesCreated: 0, eventsCreated: 0 });
  });

  it('the committed editor schema is what `pt policy schema` prints', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'policies/policy-pack.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(policyPackJsonSchema())));
  });
});
