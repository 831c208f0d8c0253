/**
 * The facts a governors' report of external supervision needs (Lingfield
 * [Recording Supervision] L90: "It is reported on the LGB safeguarding report
 * when external supervision has taken place"): for each school (or, where a
 * policy does not count per school, each relationship) under an
 * external-visits requirement, the visits of this year and the last, when and
 * by whom, against the minimum. Dates and names of roles only; no case detail.
 *
 * Pure: `now` is an input, like the due engine's.
 */
import type { PolicyPack, Requirement } from '../policy/schema';
import { yearContaining } from '../time/terms';
import { localDate } from '../time/workingDays';
import type { DueInput } from './types';

export interface ExternalSupervisionYear {
  /** "2026/27" (academic) or "2027" (calendar). */
  year: string;
  start: string;
  end: string;
  required: number;
  held: number;
  met: boolean;
  /** Each visit: its local date and, when recorded, who supervised. */
  visits: { date: string; by?: string }[];
}

export interface ExternalSupervisionEntry {
  policyId: string;
  staffGroupId: string;
  /** The school (Relationship.unit), or the relationship id where the policy counts per relationship. */
  school: string;
  countedPer: 'relationship' | 'school';
  relationshipIds: string[];
  supervisorIds: string[];
  /** The current year, then the previous one (when an arrangement had begun by its end). */
  years: ExternalSupervisionYear[];
}

type VisitsRule = Extract<Requirement, { kind: 'external-visits' }>;

export function externalSupervisionReport(input: DueInput): ExternalSupervisionEntry[] {
  const policies = input.policies instanceof Map ? input.policies : new Map(Object.entries(input.policies));
  const entries = new Map<string, { e: ExternalSupervisionEntry; rule: VisitsRule; policy: PolicyPack }>();
  const entryOfRel = new Map<string, string>();
  for (const rel of input.relationships) {
    if (!rel.active) continue;
    const policy = policies.get(rel.policyId);
    const rule = policy?.staffGroups.find((g) => g.id === rel.staffGroupId)?.requirements.find((r): r is VisitsRule => r.kind === 'external-visits');
    if (!policy || !rule) continue;
    const perSchool = rule.countedPer === 'school' && rel.unit !== undefined;
    const school = perSchool ? rel.unit! : rel.id;
    const key = `${rel.policyId}\u0000${rel.staffGroupId}\u0000${perSchool ? 'school' : 'rel'}\u0000${school}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { e: { policyId: rel.policyId, staffGroupId: rel.staffGroupId, school, countedPer: perSchool ? 'school' : 'relationship', relationshipIds: [], supervisorIds: [], years: [] }, rule, policy };
      entries.set(key, entry);
    }
    entry.e.relationshipIds.push(rel.id);
    if (!entry.e.supervisorIds.includes(rel.supervisorId)) entry.e.supervisorIds.push(rel.supervisorId);
    entryOfRel.set(rel.id, key);
  }
  const visits = new Map<string, { date: string; by?: string }[]>();
  for (const v of input.externalVisits ?? []) {
    const keys = v.relationshipId ? [entryOfRel.get(v.relationshipId)] : [...entries.entries()].filter(([, x]) => x.e.countedPer === 'school' && x.e.school === v.unit).map(([k]) => k);
    for (const key of keys) {
      if (!key) continue;
      const at = Date.parse(v.at);
      if (!Number.isFinite(at)) continue; // one unreadable visit never stops the report
      const list = visits.get(key) ?? [];
      const date = localDate(new Date(at).toISOString(), entries.get(key)!.policy.timeZone);
      // The same visit recorded against two of a school's relationships is one visit.
      if (!list.some((x) => x.date === date && x.by === v.by)) list.push({ date, ...(v.by ? { by: v.by } : {}) });
      visits.set(key, list);
    }
  }
  const out: ExternalSupervisionEntry[] = [];
  for (const [key, { e, rule, policy }] of entries) {
    const today = localDate(input.now, policy.timeZone);
    const current = yearContaining(today, rule.yearBasis);
    const previous = yearContaining(dayBefore(current.start), rule.yearBasis);
    const all = (visits.get(key) ?? []).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    // The previous year only when one of the school's arrangements had begun by its end.
    const began = input.relationships.filter((r) => e.relationshipIds.includes(r.id)).reduce((min, r) => (r.startedOn < min ? r.startedOn : min), '9999-12-31');
    e.years = [current, ...(began <= previous.end ? [previous] : [])].map((y) => {
      const inYear = all.filter((v) => v.date >= y.start && v.date <= y.end);
      return { year: y.label, start: y.start, end: y.end, required: rule.minimumPerYear, held: inYear.length, met: inYear.length >= rule.minimumPerYear, visits: inYear };
    });
    out.push(e);
  }
  return out;
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

