/**
 * `pt`: the admin command line. Every subcommand prints words for people or,
 * with --json, one JSON document; bad input exits non-zero with a clear message.
 * Later issues add subcommands here (plan, rebook, due, provision, doctor...).
 */
import { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config/env';
import { loadPolicies, readPolicyFile } from '../config/policies';
import { PolicyPack } from '../domain/policy/schema';
import { createLogger } from '../logging';
import { seedOrganisation } from '../seed/seed';
import { createServices } from '../runtime/services';
import { CliFailure, runProgram, type CliIO } from './program';
import { registerCardCommand } from './cardCommand';
import { registerEngineCommands } from './engineCommands';
import { registerSweepCommand } from './sweepCommand';
import { registerProvisionCommand } from './provisionCommand';
import { registerDoctorCommand } from './doctorCommand';
import { registerInspectionCommands } from './inspectionCommands';

// The subcommands import these from ./program; they are named here too for callers of `pt` itself.
export { CliFailure, runProgram, type CliIO };

export function policyPackJsonSchema(): unknown {
  return { ...(z.toJSONSchema(PolicyPack, { io: 'input', unrepresentable: 'any' }) as object), title: 'Protected Time policy pack' };
}

export function buildCli(io: CliIO): Command {
  const program = new Command('pt')
    .description('Protected Time administration')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const print = (json: boolean, data: unknown, text: string) => io.out(json ? JSON.stringify(data, null, 2) + '\n' : text + '\n');

  const policy = program.command('policy').description('policy packs');
  policy
    .command('validate')
    .description('check policy pack files against the schema')
    .argument('<files...>', 'policy pack JSON files')
    .option('--json', 'print JSON')
    .action((files: string[], opts: { json?: boolean }) => {
      const results = files.map((f) => readPolicyFile(f));
      const data = results.map(({ file, result }) => (result.ok ? { file, ok: true, id: result.pack.id } : { file, ok: false, errors: result.errors }));
      const text = results
        .map(({ file, result }) => (result.ok ? `ok       ${file} (${result.pack.id})` : `invalid  ${file}\n${result.errors.map((e) => `           - ${e}`).join('\n')}`))
        .join('\n');
      if (results.some((r) => !r.result.ok)) throw new CliFailure(text, data);
      print(Boolean(opts.json), data, text);
    });
  policy
    .command('list')
    .description('list the packs the app would load')
    .option('--dir <dir>', 'policy directory (default: PT_POLICY_DIR or ./policies)')
    .option('--json', 'print JSON')
    .action((opts: { dir?: string; json?: boolean }) => {
      const dir = opts.dir ?? configFrom(io).policyDir;
      const packs = [...loadPolicies(dir).values()];
      const data = packs.map((p) => ({ id: p.id, name: p.name, organisation: p.organisation.name, staffGroups: p.staffGroups.map((g) => ({ id: g.id, name: g.name })) }));
      const text = packs.map((p) => `${p.id}\n  ${p.name}\n${p.staffGroups.map((g) => `  - ${g.id}: ${g.name}`).join('\n')}`).join('\n');
      print(Boolean(opts.json), data, text);
    });
  policy
    .command('schema')
    .description('print the JSON Schema of a policy pack (for editors)')
    .action(() => io.out(JSON.stringify(policyPackJsonSchema(), null, 2) + '\n'));

  program
    .command('seed')
    .description('create the demo organisation in the local database (idempotent)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = configFrom(io);
      if (config.mode !== 'local') throw new CliFailure('pt seed only works in local mode (PT_MODE=local)');
      const services = await createServices(config, createLogger('silent'));
      try {
        const result = await seedOrganisation(services.embedded!.store, services.embedded!.calendar, services.clock);
        print(Boolean(opts.json), result, `Seeded ${result.people} people, ${result.relationships} relationships; created ${result.eventsCreated} events, ${result.seriesCreated} series (${result.sessions} sessions).`);
      } finally {
        await services.close();
      }
    });
  registerDoctorCommand(program, io);
  registerCardCommand(program, io);
  registerEngineCommands(program, io);
  registerSweepCommand(program, io);
  registerProvisionCommand(program, io);
  registerInspectionCommands(program, io);
  return program;
}

function configFrom(io: CliIO) {
  return loadConfig(io.env, io.cwd);
}

/** Runs the CLI; returns the exit code instead of exiting (testable). */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  return runProgram(buildCli(io), argv, io);
}

export function main(): void {
  runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
