/**
 * School term dates from a policy's term calendar (Lingfield counts internal
 * supervision per half-term). Terms are inclusive calendar-date ranges in the
 * policy's zone; the gaps between them are school holidays.
 */
import type { PolicyPack } from '../policy/schema';

export interface TermPeriod {
  name: string;
  kind: 'term' | 'half-term';
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, inclusive. */
  end: string;
}

type TermPolicy = Pick<PolicyPack, 'termCalendar'>;

/**
 * The periods a per-term requirement counts in, sorted by start. A calendar
 * that lists only half-terms (or only terms) serves both kinds: the entries
 * it has are used as the counting periods.
 */
export function termsFor(policy: TermPolicy, kind: TermPeriod['kind']): TermPeriod[] {
  const all = policy.termCalendar?.terms ?? [];
  const ofKind = all.filter((t) => t.kind === kind);
  return [...(ofKind.length ? ofKind : all)].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** True inside any listed term; a policy without a term calendar is always "in term". */
export function isTermTime(date: string, policy: TermPolicy): boolean {
  const terms = policy.termCalendar?.terms;
  if (!terms) return true;
  return terms.some((t) => t.start <= date && date <= t.end);
}

/** The period containing a date, if any. */
export function termContaining(date: string, terms: readonly TermPeriod[]): TermPeriod | undefined {
  return terms.find((t) => t.start <= date && date <= t.end);
}

/** The academic year (1 September – 31 August) or calendar year containing a date. */
export function yearContaining(date: string, basis: 'academic' | 'calendar'): { label: string; start: string; end: string } {
  const year = Number(date.slice(0, 4));
  if (basis === 'calendar') return { label: String(year), start: `${year}-01-01`, end: `${year}-12-31` };
  const first = date.slice(5) >= '09-01' ? year : year - 1;
  return { label: `${first}/${String((first + 1) % 100).padStart(2, '0')}`, start: `${first}-09-01`, end: `${first + 1}-08-31` };
}
