/**
 * Checks every request an adapter sent to the fake Graph against the v1.0
 * metadata: bodies of creates, updates and actions against their type or
 * action, and the properties named in $select/$expand against the type read.
 * A request with a body the table below does not know fails the check, so a
 * new kind of write cannot slip past unchecked.
 */
import type { RecordedRequest } from '../support/fakeGraph';
import { checkAction, checkBody, checkResponseFields, type Violation } from './graphMetadata';

interface Rule {
  method: string;
  path: RegExp;
  /** Graph type the request reads (for $select/$expand). */
  reads?: string;
  /** How to check the body it writes. */
  body?: (body: unknown) => Violation[];
}

const RULES: Rule[] = [
  { method: 'POST', path: /^\/users\/[^/]+\/calendar\/getSchedule$/, body: (b) => checkAction('calendar', 'getSchedule', b) },
  { method: 'POST', path: /^\/users\/[^/]+\/events$/, body: (b) => checkBody('event', b) },
  { method: 'PATCH', path: /^\/users\/[^/]+\/events\/[^/]+$/, body: (b) => checkBody('event', b) },
  { method: 'POST', path: /^\/users\/[^/]+\/events\/[^/]+\/cancel$/, body: (b) => checkAction('event', 'cancel', b) },
  { method: 'GET', path: /^\/users\/[^/]+\/(calendarView|calendarView\/delta|events)$/, reads: 'event' },
  { method: 'GET', path: /^\/users\/[^/]+\/events\/[^/]+(\/instances|\/exceptionOccurrences)?$/, reads: 'event' },
  { method: 'GET', path: /^\/users\/[^/]+\/calendar$/, reads: 'calendar' },
  { method: 'GET', path: /^\/users\/[^/]+\/manager$/, reads: 'directoryObject' },
  { method: 'GET', path: /^\/users\/[^/]+$/, reads: 'user' },
  { method: 'POST', path: /^\/users\/[^/]+\/checkMemberGroups$/, body: (b) => checkAction('directoryObject', 'checkMemberGroups', b) },
  { method: 'GET', path: /^\/groups\/[^/]+\/transitiveMembers\/microsoft\.graph\.user$/, reads: 'user' },
  { method: 'GET', path: /^\/groups\/delta$/, reads: 'group' },
  { method: 'GET', path: /^\/users\/delta$/, reads: 'user' },
];

/** Top-level names in a $select or $expand list, ignoring nested options in parentheses ("fields($select=a,b)" → "fields"). */
export function topLevelNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      names.push(current.trim());
      current = '';
    } else if (depth === 0 && ch !== ')') current += ch;
  }
  if (current.trim()) names.push(current.trim());
  return names;
}

export function checkRequest(req: RecordedRequest): Violation[] {
  if (req.path === '/$batch') return []; // its inner requests are recorded and checked one by one
  const rule = RULES.find((r) => r.method === req.method && r.path.test(req.path));
  const label = `${req.method} ${req.path}`;
  if (!rule) return req.body === undefined ? [] : [{ path: label, message: 'a request body no contract rule covers' }];
  const out: Violation[] = [];
  if (rule.body) {
    if (req.body === undefined) out.push({ path: label, message: 'expected a body' });
    else out.push(...rule.body(req.body).map((v) => ({ path: `${label} ${v.path}`, message: v.message })));
  } else if (req.body !== undefined) {
    out.push({ path: label, message: 'a read with a body' });
  }
  if (rule.reads) {
    const fields = [...(req.query.$select ? topLevelNames(req.query.$select) : []), ...(req.query.$expand ? topLevelNames(req.query.$expand) : [])];
    out.push(...checkResponseFields(rule.reads, fields).map((v) => ({ path: `${label} ${v.path}`, message: v.message })));
  }
  return out;
}

/** All violations in a list of recorded requests, and how many bodies were checked. */
export function checkRequests(requests: RecordedRequest[]): { violations: Violation[]; bodiesChecked: number } {
  const violations = requests.flatMap(checkRequest);
  const bodiesChecked = requests.filter((r) => r.body !== undefined && r.path !== '/$batch').length;
  return { violations, bodiesChecked };
}
