/** Tab API for records: the list a person may see, and one record in full (every read audited). */
import { Router } from 'express';
import type { RecordsDeps } from '../../usecases/records';
import { changeRequestOf } from '../../domain/records/workflow';
import { readRecord, visibleRecords } from '../../usecases/records';
import { wrap } from '../asyncHandler';
import { zoneOf } from '../../domain/time/zones';



export function recordRoutes(services: RecordsDeps): Router {
  const router = Router();
  router.get(
    '/records',
    wrap(async (req, res) => {
      const me = req.person!;
      const { rels, records } = await visibleRecords(services, me);
      const people = new Map((await services.directory.listPeople()).map((p) => [p.id, p.displayName]));
      const sessions = new Map((await services.store.listSessions({ relationshipIds: rels.map((r) => r.id) })).map((s) => [s.id, s]));
      res.json({
        records: records
          .map((r) => {
            const rel = rels.find((x) => x.id === r.relationshipId)!;
            return {
              id: r.id,
              sessionStart: sessions.get(r.sessionId)?.start ?? r.createdAt,
              status: r.status,
              version: r.version,
              supervisor: people.get(rel.supervisorId) ?? '',
              supervisees: rel.superviseeIds.map((id) => people.get(id) ?? ''),
              mine: rel.supervisorId === me.id || rel.superviseeIds.includes(me.id),
              signedBy: r.signatures.map((s) => people.get(s.personId) ?? ''),
              /** The pack's zone: the session's date is read in it. */
              timeZone: zoneOf(services.policies.get(rel.policyId)),
            };
          })
          .sort((a, b) => b.sessionStart.localeCompare(a.sessionStart)),
      });
    }),
  );
  router.get(
    '/records/:id',
    wrap(async (req, res) => {
      const { record, versions, actions, template, session, names, access, answers, timeZone } = await readRecord(services, req.person!, String(req.params.id));
      res.json({ record, // Each version with the comment that moved it on (a change request or a disagreement).
        versions: versions.map((v) => ({ version: v.version, status: v.status, updatedAt: v.updatedAt, comment: changeRequestOf(v)?.comment ?? v.disagreement?.text })),
        actions, template, session: { start: session.start, end: session.end }, names, access, answers, timeZone });
    }),
  );
  return router;
}
