/**
 * `pt doctor [--json]`: checks this tenant's configuration (src/tenant/doctor.ts)
 * and exits non-zero if anything needs fixing. Wired into `pt` by
 * registerDoctorCommand(program, io) in src/cli/pt.ts.
 */
import type { Command } from 'commander';
import { formatDoctorReport, runDoctor, type DoctorDeps } from '../tenant/doctor';
import { CliFailure, type CliIO } from './program';

export function registerDoctorCommand(program: Command, io: CliIO, deps: Partial<DoctorDeps> = {}): Command {
  return program
    .command('doctor')
    .description('check the tenant configuration: credentials, Graph permissions, SharePoint site and lists, bot endpoint')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await runDoctor(io.env, { fetch: globalThis.fetch, cwd: io.cwd, ...deps });
      const text = formatDoctorReport(report);
      if (!report.ok) throw new CliFailure(text, report);
      io.out(opts.json ? JSON.stringify(report, null, 2) + '\n' : text + '\n');
    });
}
