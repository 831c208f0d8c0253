/**
 * `pt policy validate` against hostile packs: each is refused with a non-zero
 * exit and an error naming the field, the error list stays short (a 10,000-group
 * pack does not print 10,000 lines), and it answers quickly. A UTF-8 BOM, as
 * Windows editors save it, is accepted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/pt';

const ROOT = path.resolve(__dirname, '..', '..');
const base = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'policies/south-gloucestershire-scb.json'), 'utf8'));
const lingfield = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'policies/lingfield-education-trust.json'), 'utf8'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-hostile-'));

async function validate(name: string, content: string | object) {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  let out = '';
  const started = performance.now();
  const code = await runCli(['policy', 'validate', file, '--json'], { out: (s) => (out += s), err: () => {}, env: {}, cwd: ROOT });
  const ms = performance.now() - started;
  const [result] = JSON.parse(out) as { ok: boolean; errors?: string[] }[];
  return { code, ms, ok: result!.ok, errors: result!.errors ?? [] };
}

/** A valid staff group with short sources, so 10,000 of them stay under the file size limit. */
function smallGroup() {
  const src = 'default: x';
  return {
    id: 'g', name: 'Group', source: src,
    requirements: [{ kind: 'interval', target: 'P1M', source: src }],
    duration: { defaultMinutes: 60, minMinutes: 30, maxMinutes: 90, source: src },
  };
}

type Case = [name: string, make: () => string | object, field: RegExp];
const set = <T extends object>(pack: T, edit: (p: any) => void): T => (edit(pack), pack); // eslint-disable-line @typescript-eslint/no-explicit-any

const CASES: Case[] = [
  ['zero target (P0D)', () => set(base(), (p) => (p.staffGroups[0].requirements[1].target = 'P0D')), /^staffGroups\[0\]\.requirements\[1\]\.target: must be from P1D to P1Y/],
  ['a one-minute target (PT1M)', () => set(base(), (p) => (p.staffGroups[0].requirements[1].target = 'PT1M')), /^staffGroups\[0\]\.requirements\[1\]\.target: must be from P1D to P1Y/],
  ['a thousand-year window (P1000Y)', () => set(base(), (p) => (p.staffGroups[0].requirements[0].window = 'P1000Y')), /^staffGroups\[0\]\.requirements\[0\]\.window: must be from P1W to P5Y/],
  ['retention of P99999999Y', () => set(base(), (p) => (p.retention.period = 'P99999999Y')), /^retention\.period: must be from P1M to P100Y/],
  ['a zero rebook window', () => set(base(), (p) => (p.rebooking.window = 'P0D')), /^rebooking\.window: must be from PT1H to P1Y/],
  ['an impossible term date (2026-02-30)', () => set(lingfield(), (p) => (p.termCalendar.terms[3].start = '2026-02-30')), /^termCalendar\.terms\[3\]\.start: is not a real date/],
  ['1,000,000 sessions a day', () => set(base(), (p) => Object.assign(p.staffGroups[0].requirements[0], { count: 1_000_000, window: 'P1D' })), /^staffGroups\[0\]\.requirements\[0\]\.count: /],
  ['367 sessions in a year (more than one a day)', () => set(base(), (p) => Object.assign(p.staffGroups[0].requirements[0], { count: 366, window: 'P6M' })), /^staffGroups\[0\]\.requirements\[0\]\.count: 366 sessions in P6M is more than one a day/],
  ['1,000,000 sessions per half-term', () => set(lingfield(), (p) => (p.staffGroups[0].requirements[0].minimum = 1_000_000)), /^staffGroups\[0\]\.requirements\[0\]\.minimum: /],
  ['10,000 staff groups', () => set(base(), (p) => (p.staffGroups = Array.from({ length: 10_000 }, (_, i) => ({ ...smallGroup(), id: `g-${i}` })))), /^staffGroups: more than 200 staff groups/],
  ['a 5 MB name', () => set(base(), (p) => (p.name = 'x'.repeat(5 * 1024 * 1024))), /^name: is longer than 300 characters/],
  ['a 5 MB source', () => set(base(), (p) => (p.rebooking.source = 'x'.repeat(5 * 1024 * 1024))), /^rebooking\.source: is longer than 10,000 characters/],
  ['a ramp whose steps end out of order', () => set(base(), (p) => (p.staffGroups[0].ramp = { appliesTo: 'newly-qualified', steps: [{ interval: 'P1W', until: 'P6M' }, { interval: 'P2W', until: 'P6W' }], source: 'default: x' })), /^staffGroups\[0\]\.ramp/],
];

describe('pt policy validate: hostile input', () => {
  const figures: string[] = [];
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    // The counts behind the test, for the record (errors reported, milliseconds).
    process.stdout.write(`hostile packs: ${figures.join('; ')}\n`);
  });

  it.each(CASES)('refuses %s, naming the field', async (name, make, field) => {
    const r = await validate(name.replace(/\W+/g, '-'), make());
    figures.push(`${name}: ${r.errors.length} errors, ${Math.round(r.ms)} ms`);
    expect(r.code).toBe(1);
    expect(r.ok).toBe(false);
    expect(r.errors.some((e) => field.test(e))).toBe(true);
    // Short and readable: at most 50 errors and a "more not shown" line; no line carries the 5 MB value back.
    expect(r.errors.length).toBeLessThanOrEqual(51);
    expect(r.errors.every((e) => e.length < 500)).toBe(true);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('many bad staff groups give 50 errors and a count of the rest, not a line each', async () => {
    // 150 (under the 200 cap) invalid groups with the same id: a duration error and a duplicate-id error each.
    const pack = set(base(), (p) => (p.staffGroups = Array.from({ length: 150 }, () => ({ ...smallGroup(), duration: { ...smallGroup().duration, defaultMinutes: 5 } }))));
    const r = await validate('many-bad-groups', pack);
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(51);
    expect(r.errors[50]).toMatch(/^\(root\): \d+ more errors not shown$/);
    expect(Number(r.errors[50]!.match(/(\d+) more/)![1])).toBeGreaterThanOrEqual(150 - 50);
    // 10,000 of them: refused on the count alone.
    const many = await validate('ten-thousand-bad-groups', set(base(), (p) => (p.staffGroups = Array.from({ length: 10_000 }, () => ({ ...smallGroup(), duration: { ...smallGroup().duration, defaultMinutes: 5 } })))));
    expect(many.errors).toContain('staffGroups: more than 200 staff groups');
    expect(many.errors.length).toBeLessThanOrEqual(51);
  });

  it('accepts a UTF-8 byte-order mark, and still names JSON syntax errors', async () => {
    const withBom = await validate('bom', `\uFEFF${fs.readFileSync(path.join(ROOT, 'policies/south-gloucestershire-scb.json'), 'utf8')}`);
    expect(withBom).toMatchObject({ code: 0, ok: true });
    const broken = await validate('broken', '\uFEFF{ "id": ');
    expect(broken.code).toBe(1);
    expect(broken.errors[0]).toMatch(/^\(file\): /);
  });

  it('refuses a file over the size limit without reading it as JSON', async () => {
    const big = await validate('huge', `{"name": "${'x'.repeat(9 * 1024 * 1024)}"}`);
    expect(big.code).toBe(1);
    expect(big.errors[0]).toMatch(/^\(file\): [\d,]+ bytes; a policy pack is at most 8,388,608/);
  });
});
