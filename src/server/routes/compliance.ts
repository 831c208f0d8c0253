/**
 * Tab API for the compliance view and quality assurance:
 *   GET  /compliance?from=YYYY-MM-DD&to=YYYY-MM-DD&team=...   the report (JSON)
 *   GET  /compliance.csv (same query)                          the same report as CSV
 *   GET  /audit/sample?perTeam=3                               records for the auditor to grade
 *   POST /audit/grades {recordId, category, comment}           an auditor's grade
 * Who may see what is decided in usecases/compliance; every read is audited there.
 */
import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { complianceExportTable, DEFAULT_REPORT_ZONE, FIGURES, QA_CATEGORIES, type FigureKey, QA_COMMENT_MAX, type ComplianceReport } from '../../domain/compliance';
import type { ComplianceDeps } from '../../usecases/compliance';
import { buildComplianceReport, gradeRecord, requireAuditor, sampleForAudit, SAMPLE_PER_TEAM_MAX } from '../../usecases/compliance';
import { wrap } from '../asyncHandler';
import { zoneOf } from '../../domain/time/zones';
import { isRealDate, REAL_DATE_MESSAGE } from '../../domain/time/dates';



/** The longest period one report covers. */
export const MAX_PERIOD_DAYS = 5 * 366;

const DateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, REAL_DATE_MESSAGE);
const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);

export const ComplianceQuery = z
  .object({
    from: z.preprocess(blankIsAbsent, DateParam.optional()),
    to: z.preprocess(blankIsAbsent, DateParam.optional()),
    team: z.preprocess(blankIsAbsent, z.string().trim().min(1).max(200).optional()),
  })
  // Only these parameters: anything else (from[]=…, a typo) is refused rather than silently ignored.
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to) {
      if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
      else if (DateTime.fromISO(q.to).diff(DateTime.fromISO(q.from), 'days').days > MAX_PERIOD_DAYS) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period can be at most five years long' });
      }
    }
  });

const FIGURE_KEYS = FIGURES.map((f) => f.key) as [FigureKey, ...FigureKey[]];
export const ComplianceItemsQuery = z.intersection(
  ComplianceQuery,
  z.object({
    figure: z.preprocess(blankIsAbsent, z.enum(FIGURE_KEYS, { error: `must be one of ${FIGURE_KEYS.join(', ')}` }).optional()),
    relationshipId: z.preprocess(blankIsAbsent, z.string().trim().min(1).max(200).optional()),
  }),
);

const SampleQuery = z.object({ perTeam: z.preprocess(blankIsAbsent, z.coerce.number().int().min(1).max(SAMPLE_PER_TEAM_MAX).optional()) }).strict();

export const GradeBody = z
  .object({
    recordId: z.string().trim().min(1, 'choose a record').max(200),
    category: z.enum(QA_CATEGORIES, { error: 'must be one of challenge, support, maintain, promote' }),
    comment: z.string().max(QA_COMMENT_MAX, `must be at most ${QA_COMMENT_MAX} characters`).optional(),
  })
  .strict();

/** Cells a spreadsheet would run as a formula are written as text. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The report as CSV: one row for the organisation, one per team, one per relationship (the `Level` column says which). */
export function complianceCsv(report: ComplianceReport): string {
  const { header, rows } = complianceExportTable(report);
  return stringify([header, ...rows], { bom: true, cast: { string: safeCell }, record_delimiter: 'windows' });
}

export function csvFileName(report: Pick<ComplianceReport, 'from' | 'to' | 'team'>): string {
  const team = report.team ? `-${report.team.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}` : '';
  return `protected-time-compliance-${report.from}-to-${report.to}${team}.csv`;
}

export function complianceRoutes(services: ComplianceDeps): Router {
  const router = Router();

  router.get(
    '/compliance',
    wrap(async (req, res) => {
      const query = ComplianceQuery.parse(req.query);
      const report = await buildComplianceReport(services, req.person!, query, 'json');
      res.setHeader('Cache-Control', 'no-store');
      // A report spans packs: its period and "as at" are read in the report zone (as the report counts them).
      res.json({ ...report, timeZone: DEFAULT_REPORT_ZONE });
    }),
  );

  // The drill-down: the named items behind a figure (optionally one team's or one arrangement's).
  router.get(
    '/compliance/items',
    wrap(async (req, res) => {
      const { figure, relationshipId, ...query } = ComplianceItemsQuery.parse(req.query);
      const report = await buildComplianceReport(services, req.person!, { ...query, withItems: true }, 'json');
      const items = (report.items ?? []).filter((i) => (!figure || i.figure === figure) && (!relationshipId || i.relationshipId === relationshipId));
      res.setHeader('Cache-Control', 'no-store');
      res.json({ from: report.from, to: report.to, now: report.now, team: report.team, figure, relationshipId, count: items.length, items });
    }),
  );

  router.get(
    '/compliance.csv',
    wrap(async (req, res) => {
      const query = ComplianceQuery.parse(req.query);
      const report = await buildComplianceReport(services, req.person!, query, 'csv');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `attachment; filename="${csvFileName(report)}"`);
      res.type('text/csv; charset=utf-8').send(complianceCsv(report));
    }),
  );

  router.get(
    '/audit/sample',
    wrap(async (req, res) => {
      const { perTeam } = SampleQuery.parse(req.query);
      res.setHeader('Cache-Control', 'no-store');
      const sample = await sampleForAudit(services, req.person!, { perTeam });
      // Each sampled session's date in its own pack's zone.
      const rels = new Map((await services.store.listRelationships({})).map((r) => [r.id, r]));
      const zone = (relationshipId: string) => zoneOf(services.policies.get(rels.get(relationshipId)?.policyId ?? ''));
      res.json({ ...sample, items: sample.items.map((i) => ({ ...i, timeZone: zone(i.relationshipId) })) });
    }),
  );

  router.post(
    '/audit/grades',
    wrap(async (req, res) => {
      // Who first, then what: a non-auditor is refused whatever they sent.
      const claimed = typeof req.body?.recordId === 'string' ? req.body.recordId.slice(0, 200) : 'unknown';
      await requireAuditor(services, req.person!, 'qa-grade-refused', 'record', claimed);
      const body = GradeBody.parse(req.body);
      const grade = await gradeRecord(services, req.person!, body);
      // The comment stays with the grade; the response confirms without echoing it.
      res.status(201).json({ grade: { id: grade.id, recordId: grade.recordId, relationshipId: grade.relationshipId, category: grade.category, at: grade.at } });
    }),
  );
  return router;
}
