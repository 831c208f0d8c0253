/**
 * The pure inspection builders: action drift in the due engine, carried-forward
 * counts, the evidence pack's gap and rebooking speed, subject-access name
 * marking, retention anchors and legal holds, and the PDF renderer (read back
 * with pdftotext).
 */
import path from 'node:path';
import { loadPolicies } from '../../src/config/policies';
import { dueObligations } from '../../src/domain/due/dueEngine';
import { actionAgeDays, timesCarriedForward } from '../../src/domain/inspection/actions';
import { evidencePack } from '../../src/domain/inspection/evidencePack';
import { organisationReport } from '../../src/domain/inspection/orgReports';
import { holdsCovering, retentionReview, type LegalHold } from '../../src/domain/inspection/retention';
import { nameMarker, subjectAccessDoc } from '../../src/domain/inspection/subjectAccess';
import { templatesFor } from '../../src/domain/policy/validate';
import type { ActionItem, Relationship, Session, SupervisionRecord } from '../../src/domain/model';
import { PolicyPack } from '../../src/domain/policy/schema';
import { pdfSafe, renderPdf } from '../../src/render/pdf';
import { pdfText } from '../support/pdf';
import { aPerson } from '../support/builders';

const POLICIES = loadPolicies(path.resolve(__dirname, '..', '..', 'policies'));
const WF = 'westmorland-furness-scp';
const rel: Relationship = { id: 'r1', kind: 'individual', supervisorId: 'dan', superviseeIds: ['sam'], policyId: WF, staffGroupId: 'practitioners', startedOn: '2026-01-01', active: true };
const PEOPLE = [aPerson({ id: 'sam', displayName: 'Sam Patel', team: 'CSC', lineManagerId: 'dan' }), aPerson({ id: 'dan', displayName: 'Daniel Okafor', team: 'CSC', lineManagerId: 'helen', roles: ['supervisor'] }), aPerson({ id: 'helen', displayName: 'Helen Carter', team: 'CSC', roles: ['line-manager'] })];
const held = (id: string, start: string, status: Session['status'] = 'held', extra: Partial<Session> = {}): Session => ({ id, relationshipId: 'r1', start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), status, kind: 'planned', ...extra });
const action = (status: ActionItem['status'] = 'open', completedAt?: string): ActionItem => ({ id: 'a1', relationshipId: 'r1', sessionId: 's1', recordId: 'rec-s1', text: 'Chase the referral', ownerId: 'sam', dueOn: '2026-12-31', status, ...(completedAt ? { completedAt } : {}) });
const SESSIONS = [held('s1', '2026-03-02T10:00:00Z'), held('s2', '2026-04-01T10:00:00Z'), held('s3', '2026-05-01T10:00:00Z'), held('s4', '2026-06-01T10:00:00Z'), held('s5', '2026-07-01T10:00:00Z', 'planned')];

describe('action drift', () => {
  it('counts the sessions an open action was carried through, and stops counting when it is done', () => {
    expect(timesCarriedForward(action(), SESSIONS)).toBe(3);
    expect(timesCarriedForward(action('done', '2026-04-15T00:00:00Z'), SESSIONS)).toBe(1);
    expect(actionAgeDays(action(), SESSIONS, Date.parse('2026-03-12T10:00:00Z'))).toBe(10);
  });

  const drift = (sessions: Session[], a: ActionItem, policies = POLICIES) =>
    dueObligations({ now: '2026-06-20T09:00:00Z', policies, relationships: [rel], sessions, records: [], actions: [a], agreements: [] }).filter((o) => o.kind === 'action-drift');

  it('escalates at once to both line managers once carried through more sessions than the pack allows (2)', () => {
    const [o] = drift(SESSIONS, action());
    expect(o).toMatchObject({ id: 'action-drift:r1:a1', state: 'overdue', owedBy: ['sam'], notify: ['supervisee-line-manager', 'supervisor-line-manager'], dueAt: '2026-06-01T10:00:00.000Z' });
    expect(o!.escalationStep).toBeGreaterThanOrEqual(1);
    expect(o!.explanation).not.toContain('Chase the referral');
  });

  it('does not escalate at the limit, when done, or when the pack sets no drift rule', () => {
    expect(drift(SESSIONS.slice(0, 3), action())).toEqual([]);
    expect(drift(SESSIONS, action('done', '2026-05-15T00:00:00Z'))).toEqual([]);
    const noRule = new Map(POLICIES);
    const { actionDrift: _unused, ...rest } = POLICIES.get(WF)!;
    noRule.set(WF, rest as typeof rest & { actionDrift?: undefined });
    expect(drift(SESSIONS, action(), noRule)).toEqual([]);
  });

  it('is a pack setting with bounds and a source', () => {
    const base = POLICIES.get(WF)!;
    expect(PolicyPack.safeParse({ ...base, actionDrift: { afterSessions: 0, source: 'default: x' } }).success).toBe(false);
    expect(PolicyPack.safeParse({ ...base, actionDrift: { afterSessions: 3 } }).success).toBe(false);
    expect(PolicyPack.parse({ ...base, actionDrift: { afterSessions: 3, source: 'default: x' } }).actionDrift!.notify).toEqual(['supervisee-line-manager', 'supervisor-line-manager']);
    const twice = [{ id: 'a', name: 'A', covers: ['supervision-record'], period: 'P6Y', from: 'record-signed', source: 'default: x' }, { id: 'b', name: 'B', covers: ['supervision-record'], period: 'P1Y', from: 'record-signed', source: 'default: x' }];
    expect(PolicyPack.safeParse({ ...base, retentionClasses: twice }).success).toBe(false);
  });
});

describe('evidence pack lists', () => {
  it('finds the longest gap between held sessions (open-ended to the period end) and how fast a cancelled session was rebooked', () => {
    const cancelled = held('c1', '2026-03-16T10:00:00Z', 'cancelled');
    const rebooked = held('rb1', '2026-03-20T10:00:00Z', 'held', { kind: 'rebooked', replacesSessionId: 'c1' });
    const sessions = [held('s0', '2026-01-05T10:00:00Z'), cancelled, rebooked, held('s9', '2026-06-01T10:00:00Z')];
    const pack = evidencePack({
      now: '2026-07-01T09:00:00Z', from: '2026-03-01', to: '2026-06-30', policies: POLICIES, people: PEOPLE, relationships: [rel], sessions,
      records: [], agreements: [], actions: [], grades: [], attendedSessionIds: ['s0', 'rb1', 's9'], subject: { kind: 'practitioner', personId: 'sam' }, cancelledBy: { c1: 'dan' },
    });
    expect(pack.rebooked).toEqual([expect.objectContaining({ cancelledSessionId: 'c1', replacementId: 'rb1', daysLater: 4 })]);
    expect(pack.sessions.find((s) => s.id === 'c1')).toMatchObject({ state: 'cancelled', cancelledBy: 'Daniel Okafor', rebookedAs: { sessionId: 'rb1', daysLater: 4 } });
    // s0 (5 Jan) -> rb1 (20 Mar) is 74 days; rb1 -> s9 (1 Jun) 73 days.
    expect(pack.longestGap).toMatchObject({ days: 74, openEnded: false });
    expect(pack.figures.find((f) => f.key === 'held')!.value).toBe(2);
  });
});

describe('subject access: marking other people', () => {
  const mark = nameMarker([...PEOPLE, aPerson({ id: 'amy', displayName: 'Amy Li', team: 'CSC' })], 'sam');
  it("marks others' full and first names, not the subject's, and never twice", () => {
    expect(mark('Daniel Okafor and Helen discussed it with Sam Patel')).toBe('[REVIEW: Daniel Okafor] and [REVIEW: Helen Carter] discussed it with Sam Patel');
    expect(mark('[REVIEW: Daniel Okafor] again: Daniel')).toBe('[REVIEW: Daniel Okafor] again: [REVIEW: Daniel Okafor]');
    expect(mark('Danielle and Amylase are not names here')).toBe('Danielle and Amylase are not names here');
  });
});

describe('subject access export', () => {
  it("holds the person's records, disagreements and requests for changes, with other people marked, and nothing of other arrangements", () => {
    const other: Relationship = { ...rel, id: 'r2', superviseeIds: ['amy'] };
    const rec = (id: string, relationshipId: string, values: Record<string, unknown>, extra: Partial<SupervisionRecord> = {}): SupervisionRecord => ({
      id, sessionId: 's1', relationshipId, templateId: 'westmorland-4x4x4-record', version: 1, status: 'changes-requested', authorId: 'sam', values, signatures: [], createdAt: '2026-03-02T12:00:00Z', updatedAt: '2026-03-02T12:00:00Z', etag: '', ...extra,
    });
    const doc = subjectAccessDoc({
      subjectId: 'sam', now: '2026-07-01T09:00:00Z', timeZone: 'Europe/London', people: [...PEOPLE, aPerson({ id: 'amy', displayName: 'Amy Li', team: 'CSC' })], relationships: [rel, other], sessions: SESSIONS,
      records: [
        rec('rec-1', 'r1', { experience: 'Talked with Helen about the family', _changeRequest: { byId: 'dan', at: '2026-03-03T09:00:00Z', comment: 'Daniel asks: add the plan' } }),
        rec('rec-amy', 'r2', { experience: 'AMY-ONLY' }),
      ],
      actions: [action()], agreements: [], grades: [], audit: [{ at: '2026-03-04T09:00:00Z', actorId: 'helen', action: 'record-read', subjectType: 'record', subjectId: 'rec-1' }],
      templates: new Map([...POLICIES.values()].flatMap((p) => [...templatesFor(p).entries()])),
    });
    const all = JSON.stringify(doc);
    expect(all).toContain('Talked with [REVIEW: Helen Carter] about the family');
    expect(all).toContain('[REVIEW: Daniel Okafor] asks: add the plan');
    expect(all).toContain('Chase the referral');
    expect(doc.tables.find((t) => t.title === 'Who read their records')!.rows).toEqual([[expect.any(String), '[REVIEW: Helen Carter]', 'record-read', expect.stringMatching(/^Record of the session on/)]]);
    expect(all).not.toContain('AMY-ONLY');
    expect(all).not.toContain('Amy Li');
  });

  it("holds the subject's own private notes and the agenda items they added, never anyone else's (issue 18)", () => {
    const doc = subjectAccessDoc({
      subjectId: 'sam', now: '2026-07-01T09:00:00Z', timeZone: 'Europe/London', people: PEOPLE, relationships: [rel], sessions: SESSIONS, records: [], actions: [], agreements: [], grades: [], audit: [],
      templates: new Map(),
      privateNotes: [
        { sessionId: 's1', relationshipId: 'r1', authorId: 'sam', text: 'SAM-NOTE: ask Daniel about leave', updatedAt: '2026-03-01T09:00:00Z' },
        { sessionId: 's1', relationshipId: 'r1', authorId: 'dan', text: 'DAN-NOTE', updatedAt: '2026-03-01T09:00:00Z' },
      ],
      agendaItems: [
        { id: 'a1', relationshipId: 'r1', sessionId: 's1', kind: 'added', text: 'SAM-ITEM', addedBy: 'sam', addedAt: '2026-02-28T09:00:00Z' },
        { id: 'a2', relationshipId: 'r1', sessionId: 's1', kind: 'added', text: 'DAN-ITEM', addedBy: 'dan', addedAt: '2026-02-28T09:00:00Z' },
      ],
    });
    const all = JSON.stringify(doc);
    expect(doc.tables.find((t) => t.title === 'Their private notes on sessions')!.rows).toEqual([[expect.any(String), expect.any(String), 'SAM-NOTE: ask [REVIEW: Daniel Okafor] about leave']]);
    expect(doc.tables.find((t) => t.title === 'Agenda items they added')!.rows).toEqual([[expect.any(String), expect.any(String), 'SAM-ITEM', '']]);
    expect(all).not.toContain('DAN-NOTE');
    expect(all).not.toContain('DAN-ITEM');
  });
});

describe("Lingfield governors' report", () => {
  it('says when supervision and external supervision took place, per school against the yearly minimum', () => {
    const dsl: Relationship = { id: 'r-dsl', kind: 'individual', supervisorId: 'dan', superviseeIds: ['sam'], policyId: 'lingfield-education-trust', staffGroupId: 'dsl-deputies', startedOn: '2025-09-01', active: true, unit: 'Oakfield Primary' };
    const s = (id: string, start: string): Session => ({ ...held(id, start), relationshipId: 'r-dsl' });
    const doc = organisationReport({
      kind: 'governors-external', organisation: 'Lingfield Education Trust', now: '2027-03-01T09:00:00Z', from: '2026-09-01', to: '2027-02-28', policies: POLICIES, people: PEOPLE,
      relationships: [dsl], sessions: [s('g1', '2026-10-05T10:00:00Z'), s('g2', '2026-12-07T10:00:00Z')],
      records: [], agreements: [], actions: [], grades: [], attendedSessionIds: ['g1', 'g2'],
      externalVisits: [{ unit: 'Oakfield Primary', at: '2026-11-12T10:00:00Z', by: 'Trust DSL lead' }],
    });
    expect(doc.tables[0]!.rows).toEqual([['Sam Patel', 'Daniel Okafor', 'CSC', 2, '5 Oct 2026, 7 Dec 2026', 1, '12 Nov 2026', '2 a year (academic year)']]);
    expect(doc.tables[1]!.rows[0]).toEqual(['Oakfield Primary', 'Daniel Okafor', '2026/27', 2, 1, 'no', '12 Nov 2026 (Trust DSL lead)']);
  });
});

describe('retention and legal holds', () => {
  const signed = (id: string, sessionId: string, at: string): SupervisionRecord => ({
    id, sessionId, relationshipId: 'r1', templateId: 't', version: 1, status: 'signed', authorId: 'sam', values: {}, signatures: [{ personId: 'sam', role: 'supervisee', at }, { personId: 'dan', role: 'supervisor', at }],
    createdAt: at, updatedAt: at, etag: '',
  });
  const input = (now: string, leftOn: Record<string, string>, holds: LegalHold[] = []) => ({
    now, policies: POLICIES, relationships: [rel], sessions: SESSIONS, records: [signed('rec-1', 's1', '2026-03-03T10:00:00Z'), { ...signed('rec-2', 's2', '2026-04-01T10:00:00Z'), status: 'draft' as const, signatures: [] }], holds, leftOn,
  });
  it('Westmorland keeps records 6 years after the supervisee leaves: nothing is due until they have left and the period has run', () => {
    expect(retentionReview(input('2040-01-01T00:00:00Z', {})).due).toEqual([]);
    expect(retentionReview(input('2032-07-30T00:00:00Z', { sam: '2026-08-01' })).due).toEqual([]);
    const r = retentionReview(input('2032-08-01T00:00:00Z', { sam: '2026-08-01' }));
    expect(r.due.map((d) => [d.recordId, d.dueSince, d.rule.id])).toEqual([['rec-1', '2032-08-01', 'supervision-records'], ['rec-2', '2032-08-01', 'supervision-records']]);
  });
  it('a hold in force covers a person, an arrangement or one record; a lifted one does not', () => {
    const hold = (kind: LegalHold['scope']['kind'], id: string, lifted = false): LegalHold => ({ id: `h-${kind}-${id}`, scope: { kind, id }, reason: 'claim', placedBy: 'p', placedAt: '2030-01-01T00:00:00Z', ...(lifted ? { liftedAt: '2031-01-01T00:00:00Z' } : {}) });
    expect(holdsCovering('rec-1', rel, [hold('person', 'dan'), hold('relationship', 'r2'), hold('record', 'rec-1'), hold('person', 'sam', true)]).map((h) => h.id)).toEqual(['h-person-dan', 'h-record-rec-1']);
    const r = retentionReview(input('2033-01-01T00:00:00Z', { sam: '2026-08-01' }, [hold('record', 'rec-2')]));
    expect(r.due.map((d) => [d.recordId, d.heldBy])).toEqual([['rec-1', []], ['rec-2', ['h-record-rec-2']]]);
  });
});

describe('PDF rendering', () => {
  it('lays out a document that pdftotext reads back, long tables across pages, unsupported characters as ?', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`Row ${i + 1}`, i]);
    const pdf = await renderPdf(
      { kind: 't', title: 'Test document', subtitle: 'Sub → title', marking: 'MARKING-TEXT', summary: [{ label: 'Total', value: 7 }], charts: [{ title: 'Chart', categories: ['A', 'B'], series: [{ label: 'S', values: [1, 3] }] }], tables: [{ title: 'Long table', columns: ['Name', 'Value'], rows }], notes: ['A note 👍'] },
      { createdAt: new Date('2026-01-01T00:00:00Z') },
    );
    const text = pdfText(pdf);
    expect(text).toContain('Test document');
    expect(text).toContain('Sub -> title');
    expect(text).toMatch(/Row 120\s+119/);
    expect(text).toMatch(/Page 1 of [2-9]/);
    expect(text).toContain('A note ?');
    expect(pdfSafe('café – “quoted”')).toBe('café – "quoted"');
  });
});
