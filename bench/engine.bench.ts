/**
 * Engine benchmark: `node scripts/run-ts.js bench/engine.bench.ts [--histories 50000]`.
 *
 * Prints three figures, each with a ratio against a baseline measured in the
 * same run on the same machine, so the ratios are comparable across machines
 * (absolute times are not, and nothing here asserts a time):
 *  1. planning one pair over 12 months      ÷ one plain expansion of the chosen RRULE over the same year;
 *  2. one supervisor with 15 supervisees     ÷ 15 such expansions (plans run in turn, each one's
 *     sessions added to the supervisor's busy time before the next);
 *  3. the due engine over 50,000 histories   ÷ a plain loop over the same data (latest held session
 *     per relationship, by Date.parse into a Map).
 */
import fs from 'node:fs';
import path from 'node:path';
import { dueObligations } from '../src/domain/due/dueEngine';
import type { ActionItem, Agreement, Interval, Relationship, Session, SupervisionRecord } from '../src/domain/model';
import { plan } from '../src/domain/planning/planner';
import type { Participant, PlanProposal } from '../src/domain/planning/types';
import type { PolicyPack } from '../src/domain/policy/schema';
import { validatePack } from '../src/domain/policy/validate';
import { occurrencesBetween } from '../src/domain/time/recurrence';
import { random } from './random';

const POLICY_DIR = path.join(__dirname, '..', 'policies');
const DAY = 86_400_000;

export function loadPack(id: string): PolicyPack {
  const result = validatePack(JSON.parse(fs.readFileSync(path.join(POLICY_DIR, `${id}.json`), 'utf8')));
  if (!result.ok) throw new Error(`${id}: ${result.errors.join('; ')}`);
  return result.pack;
}

const LONDON_HOURS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Participant['workingHours']['days'], start: '09:00', end: '17:00', timeZone: 'Europe/London' };

/** A year of random busy blocks (about three a working day, on half hours, in UTC). */
export function busyYear(seed: number, fromIso: string): Interval[] {
  const rnd = random(seed);
  const from = Date.parse(fromIso);
  const busy: Interval[] = [];
  for (let d = 0; d < 372; d++) {
    const day = from + d * DAY;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let k = 0; k < 3; k++) {
      const start = day + (8 + Math.floor(rnd() * 16) / 2) * 3_600_000;
      busy.push({ start: new Date(start).toISOString(), end: new Date(start + (1 + Math.floor(rnd() * 3)) * 1_800_000).toISOString() });
    }
  }
  return busy;
}

/** Synthetic staff histories across the five packs: a year of sessions, records, actions and an agreement each. */
export function syntheticHistories(count: number, now: string, packs: PolicyPack[]) {
  const rnd = random(42);
  const nowMs = Date.parse(now);
  const relationships: Relationship[] = [];
  const sessions: Session[] = [];
  const records: SupervisionRecord[] = [];
  const actions: ActionItem[] = [];
  const agreements: Agreement[] = [];
  for (let i = 0; i < count; i++) {
    const pack = packs[i % packs.length]!;
    const group = pack.staffGroups[i % pack.staffGroups.length]!;
    const rel: Relationship = {
      id: `rel-${i}`,
      kind: 'individual',
      supervisorId: `sup-${i % 997}`,
      superviseeIds: [`staff-${i}`],
      policyId: pack.id,
      staffGroupId: group.id,
      startedOn: new Date(nowMs - (400 + Math.floor(rnd() * 300)) * DAY).toISOString().slice(0, 10),
      active: true,
    };
    relationships.push(rel);
    const gapDays = 28 + Math.floor(rnd() * 14);
    // Sessions on weekday mornings at 10:00 or 14:00 UTC, a year back and one ahead.
    for (let k = -12; k <= 1; k++) {
      const day = Math.floor((nowMs + k * gapDays * DAY - Math.floor(rnd() * 5) * DAY) / DAY) * DAY;
      const start = day + (rnd() < 0.5 ? 10 : 14) * 3_600_000;
      const id = `s-${i}-${k + 12}`;
      const status: Session['status'] = k > 0 ? 'planned' : rnd() < 0.08 ? 'cancelled' : 'held';
      sessions.push({ id, relationshipId: rel.id, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), status, kind: 'planned' });
      if (status !== 'held') continue;
      const r = rnd();
      if (r < 0.05) continue; // no record yet
      const signedStatus: SupervisionRecord['status'] = r < 0.1 ? 'draft' : r < 0.15 ? 'submitted' : 'signed';
      const at = new Date(start + 4 * 3_600_000).toISOString();
      records.push({
        id: `r-${id}`, sessionId: id, relationshipId: rel.id, templateId: pack.records.template, version: 1, status: signedStatus,
        authorId: rel.supervisorId, values: {}, submittedAt: at,
        signatures: signedStatus === 'signed' ? [{ personId: rel.supervisorId, role: 'supervisor', at }, { personId: rel.superviseeIds[0]!, role: 'supervisee', at }] : signedStatus === 'submitted' ? [{ personId: rel.supervisorId, role: 'supervisor', at }] : [],
        createdAt: at, updatedAt: at, etag: '1',
      });
      if (k > -3) actions.push({ id: `a-${id}`, relationshipId: rel.id, sessionId: id, recordId: `r-${id}`, text: 'action', ownerId: rel.superviseeIds[0]!, dueOn: new Date(start + 21 * DAY).toISOString().slice(0, 10), status: rnd() < 0.5 ? 'open' : 'done' });
    }
    agreements.push({
      id: `ag-${i}`, relationshipId: rel.id, templateId: pack.agreements.template, values: {}, frequency: 'P1M', durationMinutes: 60, venue: 'Teams', type: 'individual',
      reviewOn: new Date(nowMs + (Math.floor(rnd() * 400) - 100) * DAY).toISOString().slice(0, 10), status: 'signed', signatures: [], createdAt: now,
    });
  }
  return { relationships, sessions, records, actions, agreements };
}

function time<T>(body: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = body();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Mean milliseconds of `runs` calls (after one warm-up call). */
function mean(runs: number, body: () => unknown): number {
  body();
  let total = 0;
  for (let i = 0; i < runs; i++) total += time(body).ms;
  return total / runs;
}

const f = (n: number, digits = 1) => n.toFixed(digits);

function expandYear(p: PlanProposal): string[] {
  const end = new Date(Date.parse(p.firstStart) + 366 * DAY).toISOString();
  return occurrencesBetween(p.rrule, p.firstStart, p.timeZone, p.firstStart, end);
}

export function main(argv: string[]): void {
  const histories = Number(argv[argv.indexOf('--histories') + 1] ?? 50_000) || 50_000;
  const start = '2027-01-04T09:00:00Z';
  const westmorland = loadPack('westmorland-furness-scp');
  const lines: string[] = [`Protected Time engine benchmark (node ${process.version}, TZ=${process.env.TZ ?? '(unset)'})`];

  // 1. One pair over 12 months.
  const pair: Participant[] = [
    { id: 'supervisor', workingHours: LONDON_HOURS, busy: busyYear(1, start) },
    { id: 'supervisee', workingHours: LONDON_HOURS, busy: busyYear(2, start) },
  ];
  const once = plan({ policy: westmorland, staffGroupId: 'practitioners', participants: pair, start });
  if (!once.ok || !once.proposals[0]) throw new Error(`bench plan failed: ${JSON.stringify(once)}`);
  const best = once.proposals[0];
  const planMs = mean(10, () => plan({ policy: westmorland, staffGroupId: 'practitioners', participants: pair, start }));
  const expandMs = mean(50, () => expandYear(best));
  lines.push(
    `plan, one pair, 12 months:        ${f(planMs)} ms (${f(1000 / planMs)} plans/s); baseline RRULE expansion ${f(expandMs, 3)} ms; ratio ${f(planMs / expandMs, 0)}×`,
    `  best: ${best.description}, ${best.occurrences.length} sessions, ${best.movedCount} moved; ${once.rejectedTotal} candidates rejected`,
  );

  // 2. One supervisor with 15 supervisees, planned in turn.
  const supervisorBusy = busyYear(3, start);
  const fifteen = time(() => {
    const busy = [...supervisorBusy];
    let booked = 0;
    for (let i = 0; i < 15; i++) {
      const result = plan({
        policy: westmorland,
        staffGroupId: 'practitioners',
        participants: [
          { id: 'supervisor', workingHours: LONDON_HOURS, busy },
          { id: `supervisee-${i}`, workingHours: LONDON_HOURS, busy: busyYear(100 + i, start) },
        ],
        start,
      });
      if (!result.ok || !result.proposals[0]) throw new Error(`no plan for supervisee ${i}`);
      for (const o of result.proposals[0].occurrences) busy.push({ start: o.start, end: o.end });
      booked += result.proposals[0].occurrences.length;
    }
    return booked;
  });
  lines.push(`plan, 1 supervisor × 15 in turn:  ${f(fifteen.ms)} ms (${f(fifteen.ms / 15)} ms each, ${fifteen.value} sessions booked); baseline 15 expansions ${f(expandMs * 15, 2)} ms; ratio ${f(fifteen.ms / (expandMs * 15), 0)}×`);

  // 3. The due engine over N synthetic histories.
  const packs = ['westmorland-furness-scp', 'leicestershire-cfs', 'south-gloucestershire-scb', 'staffordshire-stoke-icb', 'lingfield-education-trust'].map(loadPack);
  const now = '2027-03-31T10:00:00Z';
  const data = syntheticHistories(histories, now, packs);
  const policies = new Map(packs.map((p) => [p.id, p]));
  const baseline = mean(3, () => {
    const latest = new Map<string, number>();
    for (const s of data.sessions) {
      if (s.status !== 'held') continue;
      const t = Date.parse(s.start);
      if (t > (latest.get(s.relationshipId) ?? -Infinity)) latest.set(s.relationshipId, t);
    }
    return latest.size;
  });
  const due = time(() => dueObligations({ now, policies, ...data }));
  const warm = time(() => dueObligations({ now, policies, ...data }));
  const states = due.value.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.state]: (acc[o.state] ?? 0) + 1 }), {});
  lines.push(
    `due engine, ${histories} histories: ${f(due.ms)} ms first run, ${f(warm.ms)} ms warm (${f((warm.ms * 1000) / histories, 2)} µs per history); baseline loop ${f(baseline)} ms; ratio ${f(warm.ms / baseline, 0)}×`,
    `  ${data.sessions.length} sessions, ${data.records.length} records → ${due.value.length} obligations (${Object.entries(states).map(([k, v]) => `${v} ${k}`).join(', ')})`,
  );
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) main(process.argv.slice(2));
