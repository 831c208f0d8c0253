/**
 * `pt plan`, `pt rebook`, `pt due` and `pt schema`: JSON scenarios in (file or
 * stdin), JSON out, published JSON Schemas that the example scenarios and the
 * outputs satisfy, clear failures for bad input, and identical output whatever
 * the process time zone (child processes under TZ=UTC, America/New_York,
 * Asia/Kolkata and Pacific/Chatham).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { registerEngineCommands, runEngineCli } from '../../src/cli/engineCommands';
import { DueOutputSchema, PlanResultSchema, RebookResultSchema } from '../../src/cli/engineScenarios';
import { buildCli, CliFailure, type CliIO } from '../../src/cli/pt';
import { scenarioPath } from '../fixtures/scenarios/packs';

const ROOT = path.join(__dirname, '..', '..');
const SCENARIOS = fs.readdirSync(path.join(ROOT, 'tests', 'fixtures', 'scenarios')).filter((f) => f.endsWith('.json'));

interface Run {
  code: number;
  out: string;
  err: string;
  json: () => any;
}

async function pt(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), env: { PT_POLICY_DIR: path.join(ROOT, 'policies'), ...options.env }, cwd: ROOT };
  const code = await runEngineCli(args, io, { readStdin: () => options.stdin ?? '' });
  return { code, out, err, json: () => JSON.parse(out) };
}

const rel = (name: string) => path.relative(ROOT, scenarioPath(name));

describe('pt plan / rebook / due with the example scenarios', () => {
  it.each(SCENARIOS.filter((f) => f.endsWith('-plan.json')))('pt plan %s', async (file) => {
    const r = await pt(['plan', rel(file)]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = PlanResultSchema.parse(r.json());
    expect(result.ok && result.proposals.length).toBeGreaterThan(0);
  });

  it.each(SCENARIOS.filter((f) => f.endsWith('-rebook.json') || f.endsWith('-urgent.json')))('pt rebook %s', async (file) => {
    const r = await pt(['rebook', rel(file)]);
    expect(r.code).toBe(0);
    expect(RebookResultSchema.parse(r.json()).outcome).toBe('rebook');
  });

  it('pt due due-all-packs.json', async () => {
    const r = await pt(['due', rel('due-all-packs.json')]);
    expect(r.code).toBe(0);
    const out = DueOutputSchema.parse(r.json());
    expect(out.counts).toEqual({ total: 18, overdue: 9, 'due-soon': 3, upcoming: 6 });
    expect(out.now).toBe('2027-03-31T10:00:00.000Z');
  });

  it('reads the scenario from stdin when no file (or "-") is given', async () => {
    const text = fs.readFileSync(scenarioPath('staffordshire-rebook.json'), 'utf8');
    const fromFile = await pt(['rebook', rel('staffordshire-rebook.json')]);
    expect((await pt(['rebook'], { stdin: text })).out).toBe(fromFile.out);
    expect((await pt(['rebook', '-'], { stdin: text })).out).toBe(fromFile.out);
  });

  it('accepts an inline policy instead of a policy id', async () => {
    const scenario = JSON.parse(fs.readFileSync(scenarioPath('staffordshire-plan.json'), 'utf8'));
    const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'policies', 'staffordshire-stoke-icb.json'), 'utf8'));
    const { policyId: _id, ...rest } = scenario;
    const inline = await pt(['plan'], { stdin: JSON.stringify({ ...rest, policy }) });
    expect(inline.code).toBe(0);
    expect(inline.out).toBe((await pt(['plan', rel('staffordshire-plan.json')])).out);
  });

  it('works inside the main `pt` program too (registering twice is harmless)', async () => {
    let out = '';
    const io: CliIO = { out: (s) => (out += s), err: () => undefined, env: { PT_POLICY_DIR: path.join(ROOT, 'policies') }, cwd: ROOT };
    const program = buildCli(io);
    registerEngineCommands(program, io);
    registerEngineCommands(program, io);
    await program.parseAsync(['due', rel('due-all-packs.json')], { from: 'user' });
    expect(JSON.parse(out).counts.total).toBe(18);
  });
});

describe('pt schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });

  it.each([
    ['plan', SCENARIOS.filter((f) => f.endsWith('-plan.json'))],
    ['rebook', SCENARIOS.filter((f) => f.endsWith('-rebook.json') || f.endsWith('-urgent.json'))],
    ['due', ['due-all-packs.json']],
  ] as const)('pt schema %s prints input and output JSON Schemas that the example scenarios and results satisfy', async (which, files) => {
    const r = await pt(['schema', which]);
    expect(r.code).toBe(0);
    const { input, output } = r.json();
    expect(input.title).toBe(`pt ${which} scenario`);
    expect(output.title).toBe(`pt ${which} result`);
    const validInput = ajv.compile(input);
    const validOutput = ajv.compile(output);
    for (const file of files) {
      const scenario = JSON.parse(fs.readFileSync(scenarioPath(file), 'utf8'));
      expect({ file, ok: validInput(scenario), errors: validInput.errors ?? null }).toEqual({ file, ok: true, errors: null });
      const result = (await pt([which, rel(file)])).json();
      expect({ file, ok: validOutput(result), errors: validOutput.errors ?? null }).toEqual({ file, ok: true, errors: null });
    }
    expect(validInput({})).toBe(false);
  });

  it('refuses an unknown command name', async () => {
    const r = await pt(['schema', 'book']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/pt schema: unknown command "book" \(use plan, rebook, due\)/);
  });
});

describe('bad input exits non-zero with a message naming the field', () => {
  const plan = () => JSON.parse(fs.readFileSync(scenarioPath('westmorland-plan.json'), 'utf8'));

  it.each<[string, () => unknown, RegExp]>([
    ['not JSON', () => '{ "policyId": ', /^scenario: not valid JSON/],
    ['a bad working-hours time', () => ({ ...plan(), participants: [{ ...plan().participants[0], workingHours: { ...plan().participants[0].workingHours, start: '9am' } }, plan().participants[1]] }), /participants\[0\]\.workingHours\.start: must be a 24-hour time HH:mm/],
    ['a missing start', () => ({ ...plan(), start: undefined }), /\n {2}- start: /],
    ['an instant without a zone', () => ({ ...plan(), start: '2026-10-01T08:00:00' }), /start: must be an ISO 8601 instant with a zone/],
    ['both a policy id and an inline policy', () => ({ ...plan(), policy: JSON.parse(fs.readFileSync(path.join(ROOT, 'policies', 'westmorland-furness-scp.json'), 'utf8')) }), /^Invalid plan scenario:\n {2}- policyId: give either policyId or an inline policy \(exactly one\)$/m],
    ['neither', () => ({ ...plan(), policyId: undefined }), /policyId: give either policyId or an inline policy/],
    ['an unknown policy id', () => ({ ...plan(), policyId: 'nowhere' }), /^policyId: no policy "nowhere" in .*policies \(it has: leicestershire-cfs, /],
    ['an unknown staff group', () => ({ ...plan(), staffGroupId: 'nurses' }), /^pt plan: staffGroupId: no staff group "nurses"/],
    ['a duration outside the range', () => ({ ...plan(), durationMinutes: 180 }), /^pt plan: durationMinutes: 180 minutes is outside the 30–120 minute range of staff group "practitioners"/],
    ['one participant', () => ({ ...plan(), participants: plan().participants.slice(0, 1) }), /participants: needs at least two people/],
  ])('pt plan with %s', async (_what, make, message) => {
    const body = make();
    const r = await pt(['plan'], { stdin: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('an empty stdin', async () => {
    const r = await pt(['plan'], { stdin: '  ' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^scenario: empty; give a scenario file or pipe JSON on stdin/);
  });

  it('a missing file', async () => {
    const r = await pt(['due', 'no/such/file.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^scenario: cannot read no\/such\/file\.json/);
  });

  it('a due scenario naming a staff group its policy lacks', async () => {
    const scenario = JSON.parse(fs.readFileSync(scenarioPath('due-all-packs.json'), 'utf8'));
    scenario.relationships[2].staffGroupId = 'admin';
    const r = await pt(['due'], { stdin: JSON.stringify(scenario) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^relationships\[2\]\.staffGroupId: no staff group "admin" in policy "south-gloucestershire-scb"/);
  });

  it('a rebook with the end before the start, and --json failures as JSON', async () => {
    const scenario = JSON.parse(fs.readFileSync(scenarioPath('leicestershire-rebook.json'), 'utf8'));
    scenario.cancelled.end = '2027-03-25T09:00:00Z';
    const r = await pt(['rebook', '--json'], { stdin: JSON.stringify(scenario) });
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({ error: 'invalid rebook scenario', problems: ['cancelled.end: must be after start'] });
  });

  it('an invalid inline policy names the policy field', async () => {
    const scenario = JSON.parse(fs.readFileSync(scenarioPath('westmorland-plan.json'), 'utf8'));
    const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'policies', 'westmorland-furness-scp.json'), 'utf8'));
    policy.timeZone = 'Middle/Earth';
    const { policyId: _id, ...rest } = scenario;
    const r = await pt(['plan'], { stdin: JSON.stringify({ ...rest, policy }) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/policy\.timeZone: must be an IANA time zone/);
  });

  it('failures are CliFailure (so the main pt program reports them the same way)', async () => {
    let out = '';
    const io: CliIO = { out: (s) => (out += s), err: () => undefined, env: {}, cwd: ROOT };
    const program = buildCli(io);
    registerEngineCommands(program, io, { readStdin: () => 'nope' });
    await expect(program.parseAsync(['plan'], { from: 'user' })).rejects.toBeInstanceOf(CliFailure);
    expect(out).toBe('');
  });
});

describe('results do not depend on the process time zone', () => {
  /** Runs the engine CLI in a child process under a TZ and returns its stdout. */
  function inChild(tz: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/run-ts.js', 'src/cli/engineCommands.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, TZ: tz, PT_POLICY_DIR: path.join(ROOT, 'policies') },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out, err }));
    });
  }

  it.each([
    ['plan', rel('westmorland-plan.json')],
    ['due', rel('due-all-packs.json')],
    ['rebook', rel('leicestershire-rebook.json')],
  ])('pt %s %s prints the same JSON under TZ=UTC, America/New_York, Asia/Kolkata and Pacific/Chatham', async (command, file) => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
    const runs = await Promise.all(zones.map((tz) => inChild(tz, [command, file])));
    for (const r of runs) expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    const inProcess = (await pt([command, file])).out;
    for (const r of runs) expect(r.out).toBe(inProcess);
  }, 60_000);
});
