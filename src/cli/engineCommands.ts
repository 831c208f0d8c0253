/**
 * `pt plan`, `pt rebook`, `pt due` and `pt schema <plan|rebook|due>`: the pure
 * engines behind a JSON-in, JSON-out command line. Each reads a scenario from a
 * file argument or stdin and prints JSON; bad input exits non-zero with a
 * message naming the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { z } from 'zod';
import { loadConfig } from '../config/env';
import { loadPolicies } from '../config/policies';
import { dueObligations } from '../domain/due/dueEngine';
import { externalSupervisionReport } from '../domain/due/governorsReport';
import { InputProblem } from '../domain/planning/inputChecks';
import { plan } from '../domain/planning/planner';
import { rebook, urgentSlot } from '../domain/planning/rebooker';
import type { PolicyPack } from '../domain/policy/schema';
import { formatZodError, validatePack } from '../domain/policy/validate';
import { CliFailure, runProgram, type CliIO } from './program';
import { DueScenario, dueInputFromScenario, engineJsonSchemas, PlanScenario, RebookScenario, UrgentScenario, type DueOutput } from './engineScenarios';

export interface EngineCommandOptions {
  /** Reads all of stdin (tests pass their own). */
  readStdin?: () => string;
}

const SCHEMA_KINDS = ['plan', 'rebook', 'due'] as const;

export function registerEngineCommands(program: Command, io: CliIO, options: EngineCommandOptions = {}): void {
  // Idempotent: a program that already has them (registered twice by mistake) is left as it is.
  if (program.commands.some((c) => c.name() === 'plan')) return;
  const readStdin = options.readStdin ?? (() => fs.readFileSync(0, 'utf8'));
  const print = (data: unknown) => io.out(JSON.stringify(data, null, 2) + '\n');
  const scenario = (file: string | undefined) => readScenario(file, io, readStdin);

  program
    .command('plan')
    .description('propose recurring supervision patterns for a JSON scenario (see `pt schema plan`)')
    .argument('[scenario]', 'scenario JSON file; stdin when absent or "-"')
    .option('--json', 'print JSON (always on: the output is JSON)')
    .action((file: string | undefined) => {
      const s = parseWith(PlanScenario, scenario(file), 'plan');
      const { policyId: _id, policy: _inline, ...rest } = s;
      const result = plan({ ...rest, policy: resolvePolicy(s, io) });
      if (!result.ok) throw new CliFailure(`pt plan: ${result.error}`, result);
      print(result);
    });

  program
    .command('rebook')
    .description('rebook a cancelled session, or with "urgent": true find an urgent slot (see `pt schema rebook`)')
    .argument('[scenario]', 'scenario JSON file; stdin when absent or "-"')
    .option('--json', 'print JSON (always on: the output is JSON)')
    .action((file: string | undefined) => {
      const raw = scenario(file);
      const isUrgent = typeof raw === 'object' && raw !== null && (raw as { urgent?: unknown }).urgent === true;
      const result = domainCall(() => {
        if (isUrgent) {
          const s = parseWith(UrgentScenario, raw, 'rebook (urgent)');
          const { policyId: _id, policy: _inline, urgent: _u, ...rest } = s;
          return urgentSlot({ ...rest, policy: resolvePolicy(s, io) });
        }
        const s = parseWith(RebookScenario, raw, 'rebook');
        const { policyId: _id, policy: _inline, urgent: _u, ...rest } = s;
        return rebook({ ...rest, policy: resolvePolicy(s, io) });
      }, 'pt rebook');
      print(result);
    });

  program
    .command('due')
    .description('list every obligation with its due date and state for a JSON history (see `pt schema due`)')
    .argument('[scenario]', 'scenario JSON file; stdin when absent or "-"')
    .option('--json', 'print JSON (always on: the output is JSON)')
    .action((file: string | undefined) => {
      const s = parseWith(DueScenario, scenario(file), 'due');
      print(runDue(s, io));
    });

  program
    .command('schema')
    .description('print the input and output JSON Schemas of plan, rebook or due')
    .argument('<command>', SCHEMA_KINDS.join(' | '))
    .action((which: string) => {
      if (!(SCHEMA_KINDS as readonly string[]).includes(which)) throw new CliFailure(`pt schema: unknown command "${which}" (use ${SCHEMA_KINDS.join(', ')})`);
      print(engineJsonSchemas(which as (typeof SCHEMA_KINDS)[number]));
    });
}

/** The scenario JSON from a file (relative to the working directory) or stdin. */
function readScenario(file: string | undefined, io: CliIO, readStdin: () => string): unknown {
  const fromStdin = file === undefined || file === '-';
  let text: string;
  try {
    text = fromStdin ? readStdin() : fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new CliFailure(`scenario: cannot read ${fromStdin ? 'stdin' : file} (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!text.trim()) throw new CliFailure('scenario: empty; give a scenario file or pipe JSON on stdin');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliFailure(`scenario: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function parseWith<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = formatZodError(parsed.error);
  throw new CliFailure(`Invalid ${what} scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { error: `invalid ${what} scenario`, problems });
}

let dirCache: { dir: string; packs: Map<string, PolicyPack> } | undefined;

/** Every pack in the configured policy directory (loaded once per directory). */
function directoryPolicies(io: CliIO): { dir: string; packs: Map<string, PolicyPack> } {
  const dir = loadConfig(io.env, io.cwd).policyDir;
  if (dirCache?.dir !== dir) dirCache = { dir, packs: loadPolicies(dir) };
  return dirCache;
}

/** The scenario's policy: inline (validated, templates included) or by id from the policy directory. */
function resolvePolicy(s: { policyId?: string; policy?: unknown }, io: CliIO): PolicyPack {
  if (s.policy !== undefined) return inlinePolicy(s.policy, 'policy');
  const { dir, packs } = directoryPolicies(io);
  const pack = packs.get(s.policyId!);
  if (!pack) throw new CliFailure(`policyId: no policy "${s.policyId}" in ${dir} (it has: ${[...packs.keys()].join(', ')})`);
  return pack;
}

function inlinePolicy(raw: unknown, at: string): PolicyPack {
  const result = validatePack(raw);
  if (!result.ok) throw new CliFailure(`Invalid inline policy:\n${result.errors.map((e) => `  - ${at}.${e}`).join('\n')}`, { error: 'invalid inline policy', problems: result.errors.map((e) => `${at}.${e}`) });
  return result.pack;
}

/** Domain input problems (a staff group that does not exist, a duration outside the range) become CLI failures. */
function domainCall<T>(body: () => T, command: string): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof InputProblem) throw new CliFailure(`${command}: ${err.message}`, { error: err.message });
    throw err;
  }
}

function runDue(s: DueScenario, io: CliIO): DueOutput {
  const policies = new Map<string, PolicyPack>();
  (s.policies ?? []).forEach((p, i) => policies.set(p.id, inlinePolicy(p, `policies[${i}]`)));
  const needed = new Set(s.relationships.map((r) => r.policyId).filter((id) => !policies.has(id)));
  if (needed.size) {
    const { dir, packs } = directoryPolicies(io);
    s.relationships.forEach((r, i) => {
      const pack = policies.get(r.policyId) ?? packs.get(r.policyId);
      if (!pack) throw new CliFailure(`relationships[${i}].policyId: no policy "${r.policyId}" inline or in ${dir}`);
      policies.set(r.policyId, pack);
    });
  }
  s.relationships.forEach((r, i) => {
    const pack = policies.get(r.policyId)!;
    if (!pack.staffGroups.some((g) => g.id === r.staffGroupId)) {
      throw new CliFailure(`relationships[${i}].staffGroupId: no staff group "${r.staffGroupId}" in policy "${r.policyId}" (it has: ${pack.staffGroups.map((g) => g.id).join(', ')})`);
    }
  });
  const input = dueInputFromScenario(s, policies);
  const obligations = dueObligations(input);
  const count = (state: string) => obligations.filter((o) => o.state === state).length;
  return {
    now: new Date(Date.parse(s.now)).toISOString(),
    counts: { total: obligations.length, overdue: count('overdue'), 'due-soon': count('due-soon'), upcoming: count('upcoming') },
    obligations,
    externalSupervision: externalSupervisionReport(input),
  };
}

/**
 * Runs only the engine commands (for child processes and scripts before the
 * main `pt` has them): `node scripts/run-ts.js src/cli/engineCommands.ts plan x.json`.
 */
export async function runEngineCli(argv: string[], io: CliIO, options: EngineCommandOptions = {}): Promise<number> {
  const program = new Command('pt').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerEngineCommands(program, io, options);
  return runProgram(program, argv, io);
}

if (require.main === module) {
  void runEngineCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env, cwd: process.cwd() }).then((code) => {
    process.exitCode = code;
  });
}
