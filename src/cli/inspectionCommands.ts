/**
 * `pt report <kind>` and `pt sar <personId>`: the organisations' reports and
 * subject-access exports from the command line, as PDF, CSV or JSON. The
 * command line acts as an administrator (someone who can already read the
 * data store), recorded in the audit as `cli:<user>`; `--as <personId>` acts
 * as that person instead, with exactly their access.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { loadConfig } from '../config/env';
import type { ReportDoc } from '../domain/inspection/document';
import { REPORT_KINDS, type ReportKind } from '../domain/inspection/orgReports';
import type { Person } from '../domain/model';
import { createLogger } from '../logging';
import { renderCsv } from '../render/csv';
import { renderPdf } from '../render/pdf';
import { createServices } from '../runtime/services';
import type { Services } from '../runtime/services';
import { AppError } from '../usecases/errors';
import { buildOrganisationReport, buildSubjectAccess, type ExportFormat } from '../usecases/inspection';
import { CliFailure, type CliIO } from './program';

const DateOpt = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'is not a real date');
const Format = z.enum(['pdf', 'csv', 'json'], { error: 'must be pdf, csv or json' });

function check<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliFailure(`${option}: ${r.error.issues[0]?.message ?? 'is not valid'}`, { error: `${option}: ${r.error.issues[0]?.message}` }, 2);
  return r.data;
}

async function actorFor(services: Services, io: CliIO, as: string | undefined): Promise<Person> {
  if (as) {
    const p = await services.directory.getPerson(as);
    if (!p) throw new CliFailure(`--as: no such person ${JSON.stringify(as)}`, undefined, 2);
    return p;
  }
  const user = io.env.USER ?? io.env.USERNAME ?? 'admin';
  return { id: `cli:${user}`, displayName: `Command line (${user})`, email: '', aadObjectId: '', jobTitle: 'Administrator', team: '', roles: ['safeguarding-lead', 'auditor'] };
}

/** Writes a document: PDF needs --out (it is binary); CSV and JSON go to --out or standard output. */
async function emit(io: CliIO, services: Services, doc: ReportDoc, format: ExportFormat, out: string | undefined): Promise<void> {
  if (format === 'pdf') {
    if (!out) throw new CliFailure('--out <file> is needed for a PDF', undefined, 2);
    const file = path.resolve(io.cwd, out);
    fs.writeFileSync(file, await renderPdf(doc, { createdAt: services.clock.now() }));
    io.err(`wrote ${file}\n`);
    return;
  }
  const text = format === 'csv' ? renderCsv(doc) : JSON.stringify(doc, null, 2) + '\n';
  if (out) {
    const file = path.resolve(io.cwd, out);
    fs.writeFileSync(file, text);
    io.err(`wrote ${file}\n`);
  } else io.out(text);
}

async function withServices(io: CliIO, fn: (services: Services) => Promise<void>): Promise<void> {
  const services = await createServices(loadConfig(io.env, io.cwd), createLogger('silent'));
  try {
    await fn(services);
  } catch (err) {
    if (err instanceof AppError) throw new CliFailure(`${err.message}${err.details ? ` (${JSON.stringify(err.details)})` : ''}`, { error: err.message, details: err.details }, err.status === 403 ? 3 : 1);
    throw err;
  } finally {
    await services.close();
  }
}

export function registerInspectionCommands(program: Command, io: CliIO): void {
  program
    .command('report')
    .description(`an organisation report: ${REPORT_KINDS.join(', ')} (PDF, CSV or JSON)`)
    .argument('<kind>', REPORT_KINDS.join(' | '))
    .requiredOption('--from <date>', 'first day of the period, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day of the period, YYYY-MM-DD')
    .option('--format <format>', 'pdf | csv | json', 'json')
    .option('--team <team>', 'one team only')
    .option('--out <file>', 'write to this file (needed for pdf)')
    .option('--as <personId>', 'act as this person, with their access')
    .action(async (kindArg: string, opts: { from: string; to: string; format: string; team?: string; out?: string; as?: string }) => {
      const kind = check(z.enum(REPORT_KINDS, { error: `must be one of ${REPORT_KINDS.join(', ')}` }), kindArg, '<kind>') as ReportKind;
      const from = check(DateOpt, opts.from, '--from');
      const to = check(DateOpt, opts.to, '--to');
      if (to < from) throw new CliFailure('--to: must be on or after --from', undefined, 2);
      const format = check(Format, opts.format, '--format');
      await withServices(io, async (services) => {
        const doc = await buildOrganisationReport(services, await actorFor(services, io, opts.as), kind, { from, to, ...(opts.team ? { team: opts.team } : {}) }, format);
        await emit(io, services, doc, format, opts.out);
      });
    });

  program
    .command('sar')
    .description("a subject-access export: everything held about one person, other people's names marked for review")
    .argument('<personId>', 'the person (their id)')
    .option('--format <format>', 'pdf | csv | json', 'json')
    .option('--out <file>', 'write to this file (needed for pdf)')
    .option('--as <personId>', 'act as this person (a safeguarding lead), with their access')
    .action(async (personId: string, opts: { format: string; out?: string; as?: string }) => {
      const format = check(Format, opts.format, '--format');
      await withServices(io, async (services) => {
        const doc = await buildSubjectAccess(services, await actorFor(services, io, opts.as), personId, format);
        await emit(io, services, doc, format, opts.out);
      });
    });
}
