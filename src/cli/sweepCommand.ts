/** `pt sweep [--dry-run]`: what the reminder sweep would send (or sends), to whom, and why. */
import type { Command } from 'commander';
import { loadConfig } from '../config/env';
import { createLogger } from '../logging';
import { createServices } from '../runtime/services';
import { planDigests, sweepReminders, type SweepPlan } from '../usecases/reminders';
import { CliFailure, type CliIO } from './program';

export function describePlan(plan: SweepPlan, names: Map<string, string>): string {
  const lines = [`Sweep at ${plan.now}: ${plan.obligations} obligations judged; ${plan.digests.length} digest(s).`];
  for (const d of plan.digests) {
    lines.push(`\n→ ${names.get(d.personId) ?? d.personId}: ${d.items.length} item(s)`);
    for (const i of d.items) lines.push(`   - ${i.title} [${i.state}] due ${i.dueAt.slice(0, 10)}: ${i.why}`);
  }
  const deferred = new Map<string, string>();
  for (const d of plan.deferred) deferred.set(d.personId, d.why);
  if (deferred.size) {
    lines.push('\nNot now:');
    for (const [id, why] of deferred) lines.push(`   - ${names.get(id) ?? id}: ${why}`);
  }
  return lines.join('\n');
}

export function registerSweepCommand(program: Command, io: CliIO): void {
  program
    .command('sweep')
    .description('run the reminder sweep (with --dry-run: print what would be sent, to whom and why, and send nothing)')
    .option('--dry-run', 'change nothing')
    .option('--json', 'print JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      const config = loadConfig(io.env, io.cwd);
      const services = await createServices(config, createLogger('silent'));
      try {
        if (!opts.dryRun && config.mode === 'local' && !io.env.PT_ALLOW_CLI_SWEEP) {
          throw new CliFailure('In local mode the running app sends digests itself; use --dry-run here (or set PT_ALLOW_CLI_SWEEP=1 to queue them from the CLI).');
        }
        const plan = opts.dryRun ? await planDigests(services) : await sweepReminders(services);
        const names = new Map((await services.directory.listPeople()).map((p) => [p.id, p.displayName]));
        io.out(opts.json ? JSON.stringify({ dryRun: Boolean(opts.dryRun), ...plan }, null, 2) + '\n' : describePlan(plan, names) + '\n');
      } finally {
        await services.close();
      }
    });
}
