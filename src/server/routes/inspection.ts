/**
 * Tab API for inspection and data rights (decisions and audit in usecases/inspection):
 *   GET  /evidence-pack.{pdf|csv|json}?personId=...|team=...&from&to   an evidence pack
 *   GET  /reports/{kind}.{pdf|csv|json}?from&to&team                 an organisation report
 *   GET  /records/{id}/signed.pdf?version=N                          the signed copy of a record
 *   GET  /subject-access/{personId}.{pdf|csv|json}                   a subject-access export (lead)
 *   GET  /data-rights/people                                         people a lead can export for (lead)
 *   GET  /retention                                                  records past retention, and holds (lead)
 *   POST /legal-holds {scope:{kind,id}, reason}                      place a hold (lead)
 *   POST /legal-holds/{id}/lift                                      lift it (lead)
 *   POST /leavers {personId, leftOn}                                 record that someone left (lead)
 *   POST /retention/dispose {recordId}                               dispose of one reviewed record (lead)
 */
import { Router, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ReportDoc } from '../../domain/inspection/document';
import { REPORT_KINDS } from '../../domain/inspection/orgReports';
import { renderCsv } from '../../render/csv';
import { renderPdf } from '../../render/pdf';
import type { InspectionDeps } from '../../usecases/inspection';
import { buildEvidencePack, buildOrganisationReport, peopleForDataRights, buildSignedRecord, buildSubjectAccess, disposeRecord, liftLegalHold, placeLegalHold, recordLeaver, retentionReviewFor, type ExportFormat } from '../../usecases/inspection';
import { wrap } from '../asyncHandler';
import { DEFAULT_REPORT_ZONE } from '../../domain/compliance';
import { zoneOf } from '../../domain/time/zones';
import { ComplianceQuery } from './compliance';



const Format = z.enum(['pdf', 'csv', 'json'], { error: 'must be pdf, csv or json' });
const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);
const Id = z.string().trim().min(1).max(200);
const DateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'is not a real date');

const PackQuery = z
  .intersection(ComplianceQuery, z.object({ personId: z.preprocess(blankIsAbsent, Id.optional()) }))
  .superRefine((q, ctx) => {
    if (!q.personId === !q.team) ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give either personId (a practitioner) or team' });
  });
const VersionQuery = z.object({ version: z.preprocess(blankIsAbsent, z.coerce.number().int().min(1).optional()) });

export const LegalHoldBody = z.object({ scope: z.object({ kind: z.enum(['person', 'relationship', 'record']), id: Id }).strict(), reason: z.string().trim().min(3, 'say why').max(500) }).strict();
export const LeaverBody = z.object({ personId: Id, leftOn: DateString }).strict();
export const DisposeBody = z.object({ recordId: Id }).strict();

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Sends a document in the asked format as a download (never cached: it holds personal data). */
export async function sendDoc(res: Response, doc: ReportDoc, format: ExportFormat, name: string, createdAt: Date, json?: unknown): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  if (format === 'json') {
    res.json(json ?? doc);
    return;
  }
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  if (format === 'csv') res.type('text/csv; charset=utf-8').send(renderCsv(doc));
  else res.type('application/pdf').send(await renderPdf(doc, { createdAt }));
}

export function inspectionRoutes(services: InspectionDeps): Router {
  const router = Router();
  const now = () => services.clock.now();

  router.get(
    /^\/evidence-pack\.(pdf|csv|json)$/,
    wrap(async (req, res) => {
      const format = Format.parse(req.params[0]);
      const q = PackQuery.parse(req.query);
      const subject = q.personId ? { kind: 'practitioner' as const, personId: q.personId } : { kind: 'team' as const, team: q.team! };
      const { pack, doc } = await buildEvidencePack(services, req.person!, { subject, from: q.from, to: q.to }, format);
      await sendDoc(res, doc, format, `evidence-pack-${slug(pack.subject.name)}-${pack.from}-to-${pack.to}`, now(), { pack, document: doc });
    }),
  );

  router.get(
    /^\/reports\/([a-z-]+)\.(pdf|csv|json)$/,
    wrap(async (req, res) => {
      const kind = z.enum(REPORT_KINDS, { error: `must be one of ${REPORT_KINDS.join(', ')}` }).parse(req.params[0]);
      const format = Format.parse(req.params[1]);
      const q = ComplianceQuery.parse(req.query);
      const doc = await buildOrganisationReport(services, req.person!, kind, q, format);
      await sendDoc(res, doc, format, `${kind}-${q.from ?? 'from'}-to-${q.to ?? 'now'}`, now());
    }),
  );

  router.get(
    '/records/:id/signed.pdf',
    wrap(async (req, res) => {
      const { version } = VersionQuery.parse(req.query);
      const { doc, record } = await buildSignedRecord(services, req.person!, Id.parse(req.params.id), version);
      await sendDoc(res, doc, 'pdf', `signed-record-${slug(record.id)}-v${record.version}`, now());
    }),
  );

  router.get(
    /^\/subject-access\/([^/]+)\.(pdf|csv|json)$/,
    wrap(async (req, res) => {
      const personId = Id.parse(req.params[0]);
      const format = Format.parse(req.params[1]);
      const doc = await buildSubjectAccess(services, req.person!, personId, format);
      await sendDoc(res, doc, format, `subject-access-${slug(personId)}`, now());
    }),
  );

  router.get(
    '/data-rights/people',
    wrap(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ people: await peopleForDataRights(services, req.person!) });
    }),
  );

  router.get(
    '/retention',
    wrap(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const review = await retentionReviewFor(services, req.person!);
      // Each record's session date in its own pack's zone; holds (organisation-wide) in the report zone.
      const rels = new Map((await services.store.listRelationships({})).map((r) => [r.id, r]));
      const zone = (relationshipId: string) => zoneOf(services.policies.get(rels.get(relationshipId)?.policyId ?? ''));
      res.json({ ...review, timeZone: DEFAULT_REPORT_ZONE, due: review.due.map((c) => ({ ...c, timeZone: zone(c.relationshipId) })) });
    }),
  );

  router.post(
    '/legal-holds',
    wrap(async (req, res) => {
      res.status(201).json({ hold: await placeLegalHold(services, req.person!, LegalHoldBody.parse(req.body)) });
    }),
  );

  router.post(
    '/legal-holds/:id/lift',
    wrap(async (req, res) => {
      await liftLegalHold(services, req.person!, Id.parse(req.params.id));
      res.status(204).end();
    }),
  );

  router.post(
    '/leavers',
    wrap(async (req, res) => {
      const body = LeaverBody.parse(req.body);
      await recordLeaver(services, req.person!, body.personId, body.leftOn);
      res.status(204).end();
    }),
  );

  router.post(
    '/retention/dispose',
    wrap(async (req, res) => {
      const { recordId } = DisposeBody.parse(req.body);
      res.json(await disposeRecord(services, req.person!, recordId));
    }),
  );
  return router;
}
