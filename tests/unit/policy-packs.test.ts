/**
 * The five shipped policy packs (policies/*.json): each validates, cites its
 * source for every rule, and states the facts a reviewer checks against the
 * organisation's own text (shared/domain/seed-policies).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime, Duration } from 'luxon';
import { loadPolicies, policyFiles } from '../../src/config/policies';
import { rampSteps, type PolicyPack, type Requirement, type StaffGroup } from '../../src/domain/policy/schema';
import { validatePack } from '../../src/domain/policy/validate';

const DIR = path.join(__dirname, '..', '..', 'policies');

const EXPECTED_FILES = [
  'leicestershire-cfs.json',
  'lingfield-education-trust.json',
  'south-gloucestershire-scb.json',
  'staffordshire-stoke-icb.json',
  'westmorland-furness-scp.json',
];

function readRaw(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>;
}

function load(file: string): PolicyPack {
  const r = validatePack(readRaw(file));
  if (!r.ok) throw new Error(`${file} is invalid:\n${r.errors.join('\n')}`);
  return r.pack;
}

/** Every `source` string in a JSON value, with the path it sits at. */
function sources(value: unknown, at = ''): { at: string; source: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => sources(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const here = at ? `${at}.${k}` : k;
      return k === 'source' ? [{ at: here, source: v }] : sources(v, here);
    });
  }
  return [];
}

/** "default: why", or a clause locator: §3.1, L277, or a [Heading]. */
const CITES = (s: string) => /^default:\s*\S/.test(s) || /§\s*\d|\bL\d+\b|\[[^\]]+\]/.test(s);

const group = (pack: PolicyPack, id: string): StaffGroup => {
  const g = pack.staffGroups.find((x) => x.id === id);
  if (!g) throw new Error(`${pack.id} has no staff group "${id}"`);
  return g;
};
function req<K extends Requirement['kind']>(g: StaffGroup, kind: K): Extract<Requirement, { kind: K }> {
  const r = g.requirements.find((x) => x.kind === kind);
  if (!r) throw new Error(`${g.id} has no ${kind} requirement`);
  return r as Extract<Requirement, { kind: K }>;
}

describe('policies/*.json', () => {
  const files = policyFiles(DIR).map((f) => path.basename(f));

  it('holds the five organisations\' packs (and no schema file is taken for a pack)', () => {
    expect(files).toEqual(expect.arrayContaining(EXPECTED_FILES));
    expect(files.every((f) => !f.endsWith('.schema.json'))).toBe(true);
  });

  it('loads them all through the start-up loader, each id once', () => {
    const packs = loadPolicies(DIR);
    expect([...packs.keys()]).toEqual(expect.arrayContaining(EXPECTED_FILES.map((f) => f.replace(/\.json$/, ''))));
  });

  describe.each(EXPECTED_FILES)('%s', (file) => {
    const raw = readRaw(file);

    it('validates', () => {
      const r = validatePack(raw);
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.ok).toBe(true);
    });

    it('starts with $schema and is named after its id', () => {
      expect(Object.keys(raw)[0]).toBe('$schema');
      expect(raw.$schema).toBe('./policy-pack.schema.json');
      expect(load(file).id).toBe(file.replace(/\.json$/, ''));
    });

    it('is English: Europe/London and England & Wales bank holidays', () => {
      const pack = load(file);
      expect(pack.timeZone).toBe('Europe/London');
      expect(pack.holidayRegion).toBe('england-and-wales');
    });

    it('cites a clause or says "default:" for every rule', () => {
      const found = sources(raw);
      // workingHours, each staff group (+ its requirements, duration, group), rebooking, records,
      // agreements, reminders, retention, compliance.
      expect(found.length).toBeGreaterThanOrEqual(12);
      for (const { at, source } of found) {
        expect({ at, ok: typeof source === 'string' && source.trim().length > 0 }).toEqual({ at, ok: true });
        expect({ at, source, cites: CITES(source as string) }).toEqual({ at, source, cites: true });
      }
      // Nothing is left to the schema's silent default for group supervision.
      for (const g of load(file).staffGroups) expect(g.group.source).not.toBe('default: policy silent on group supervision');
    });

    it('escalates from the people who owe something towards a line manager', () => {
      const { ladder } = load(file).reminders;
      expect(ladder.length).toBeGreaterThanOrEqual(2);
      expect(ladder[0]!.notify.some((t) => t === 'supervisor' || t === 'supervisee')).toBe(true);
      expect(ladder.at(-1)!.notify.some((t) => t.endsWith('line-manager'))).toBe(true);
      const afters = ladder.map((s) => Duration.fromISO(s.after).toMillis());
      expect([...afters].sort((a, b) => a - b)).toEqual(afters);
    });

    it('keeps records for a stated period and has an agreement reviewed annually', () => {
      const pack = load(file);
      expect(Duration.fromISO(pack.retention.period).isValid).toBe(true);
      expect(pack.agreements.required).toBe(true);
      expect(pack.agreements.reviewEvery).toBe('P1Y');
      expect(pack.records.countersign).toBe(true);
    });
  });

  describe('Leicestershire CFS', () => {
    const pack = load('leicestershire-cfs.json');

    it('casework: monthly, 60–90 minutes; pod meetings do not count (L77, L288, L65)', () => {
      const g = group(pack, 'casework');
      expect(req(g, 'interval').target).toBe('P1M');
      expect(req(g, 'interval').hardMaximum).toBeUndefined();
      expect(g.duration.minMinutes).toBe(60);
      expect(g.duration.maxMinutes).toBe(90);
      expect(g.group).toMatchObject({ allowed: true, countsTowardsRequirement: false });
      expect(g.ramp?.appliesTo).toBe('newly-qualified');
      expect(rampSteps(g.ramp!)).toEqual([{ interval: 'P1W', until: 'P6W' }, { interval: 'P2W', until: 'P6M' }]);
    });

    it('all staff: monthly, 60 minutes (L61, L77)', () => {
      const g = group(pack, 'all-staff');
      expect(req(g, 'interval').target).toBe('P1M');
      expect(g.duration.defaultMinutes).toBe(60);
    });

    it('Signs of Safety record by the supervisor; agreement within the first week (L51, L290, L287)', () => {
      expect(pack.records.template).toBe('signs-of-safety');
      expect(pack.records.recorder).toBe('supervisor');
      expect(pack.records.disagreementNotifies).toEqual(['supervisor-line-manager']);
      expect(pack.agreements.dueWithin).toBe('P1W');
      expect(pack.rebooking.strategy).toBe('nearest-to-original');
      expect(pack.rebooking.anchor).toBe('original-date');
    });

    it('monthly return and the RiP QA categories with their meanings (L252, L262–268)', () => {
      expect(pack.compliance.reportEvery).toBe('P1M');
      const cats = pack.compliance.qaCategories ?? [];
      expect(cats.map((c) => c.name)).toEqual(['Challenge', 'Support', 'Maintain', 'Promote']);
      expect(cats.find((c) => c.id === 'challenge')?.meaning).toMatch(/detrimental to children\/families\/practitioner\/organisation and needs to be changed/);
      expect(cats.find((c) => c.id === 'support')?.meaning).toMatch(/not meeting all the standards/);
      expect(cats.find((c) => c.id === 'maintain')?.meaning).toMatch(/good practice - ensure that the current practice is embedded/);
      expect(cats.find((c) => c.id === 'promote')?.meaning).toMatch(/excellent and should be promoted across the organisation/);
    });

    it('retention runs from leaving the authority (L305)', () => {
      expect(pack.retention.from).toBe('leaving-organisation');
      expect(pack.retention.source).toMatch(/L305/);
    });
  });

  describe('Lingfield Education Trust', () => {
    const pack = load('lingfield-education-trust.json');
    const g = group(pack, 'dsl-deputies');

    it('at least one internal session each half-term, two external visits a year (L66, L68, L118)', () => {
      expect(req(g, 'per-term')).toMatchObject({ term: 'half-term', minimum: 1 });
      expect(req(g, 'external-visits')).toMatchObject({ minimumPerYear: 2, yearBasis: 'academic' });
    });

    it('has six half-terms in each of 2025/26, 2026/27 and 2027/28, in order, on school days', () => {
      const cal = pack.termCalendar!;
      expect(cal.source).toMatch(/^default: example term dates for a Surrey school; each school replaces them with its own/);
      const halves = cal.terms.filter((t) => t.kind === 'half-term');
      for (const year of ['2025/26', '2026/27', '2027/28']) {
        const [y0] = year.split('/').map(Number) as [number];
        const inYear = halves.filter((t) => t.start >= `${y0}-09-01` && t.end <= `${y0 + 1}-08-31`);
        expect({ year, count: inYear.length }).toEqual({ year, count: 6 });
      }
      for (let i = 0; i < halves.length; i++) {
        const t = halves[i]!;
        const start = DateTime.fromISO(t.start);
        const end = DateTime.fromISO(t.end);
        expect({ t: t.name, startWeekday: start.weekday <= 5, endWeekday: end.weekday <= 5 }).toEqual({ t: t.name, startWeekday: true, endWeekday: true });
        // A half-term runs 5–8 weeks.
        expect(end.diff(start, 'weeks').weeks).toBeGreaterThanOrEqual(4);
        expect(end.diff(start, 'weeks').weeks).toBeLessThanOrEqual(9);
        if (i > 0) expect(t.start > halves[i - 1]!.end).toBe(true);
      }
    });

    it('record by the supervisor (HT/AHT), signed by both; school-day hours; no urgent window', () => {
      expect(pack.records.template).toBe('lingfield-safeguarding-record');
      expect(pack.records.recorder).toBe('supervisor');
      expect(pack.agreements.template).toBe('lingfield-agreement');
      expect(pack.workingHours).toMatchObject({ start: '08:30', end: '16:30' });
      expect(pack.urgent).toBeUndefined();
      expect(pack.templates.map((t) => t.id)).toContain('lingfield-staff-incident-record');
    });
  });

  describe('South Gloucestershire SCB', () => {
    const pack = load('south-gloucestershire-scb.json');

    it('at least 6 in any 12 months for both groups, with a planned interval (§3.1, §3.2)', () => {
      for (const id of ['management', 'clinical-professional']) {
        const g = group(pack, id);
        expect(req(g, 'rolling-minimum')).toMatchObject({ count: 6, window: 'P12M' });
        expect(req(g, 'interval').target).toBe('P2M');
        expect(req(g, 'interval').source).toMatch(/^default:/);
      }
      expect(req(group(pack, 'management'), 'rolling-minimum').source).toMatch(/§3\.1/);
    });

    it('urgent supervision within 24 hours (§3.4)', () => {
      expect(pack.urgent).toMatchObject({ window: 'PT24H' });
      expect(pack.urgent!.source).toMatch(/§3\.4/);
    });

    it('Appendix 1 agreement and Appendix 2 recording sheet; supervisee copy (§4)', () => {
      expect(pack.records.template).toBe('south-glos-recording-sheet');
      expect(pack.agreements.template).toBe('south-glos-agreement');
      expect(pack.records.superviseeCopy).toBe(true);
      expect(pack.reminders.ladder.at(-1)!.notify).toContain('supervisor-line-manager');
    });
  });

  describe('Staffordshire and Stoke-on-Trent ICB', () => {
    const pack = load('staffordshire-stoke-icb.json');

    it('designated and named every 12 weeks, clinical every 16, both 60–120 minutes (L199, L201)', () => {
      const dn = group(pack, 'designated-named');
      const cl = group(pack, 'clinical');
      expect(req(dn, 'interval').target).toBe('P12W');
      expect(req(cl, 'interval').target).toBe('P16W');
      for (const g of [dn, cl]) {
        expect(g.duration.minMinutes).toBe(60);
        expect(g.duration.maxMinutes).toBe(120);
      }
    });

    it('the supervisee rebooks within 2 weeks and writes the record (L277, L207)', () => {
      expect(pack.rebooking).toMatchObject({ window: 'P2W', responsible: 'supervisee' });
      expect(pack.records).toMatchObject({ template: 'staffordshire-record', recorder: 'supervisee', countersign: true });
      expect(pack.records.disagreementNotifies).toEqual(['supervisee-line-manager']);
    });

    it('agreement before the first session, checked every session; quarterly report (L197, §8.1)', () => {
      expect(pack.agreements).toMatchObject({ template: 'staffordshire-agreement', dueWithin: 'P0D', checkedEachSession: true });
      expect(pack.compliance.reportEvery).toBe('P3M');
      expect(pack.urgent).toBeUndefined();
    });
  });

  describe('Westmorland and Furness SCP', () => {
    const pack = load('westmorland-furness-scp.json');
    const g = group(pack, 'practitioners');

    it('monthly, never more than three months apart; more often for the newly qualified (L176, L178)', () => {
      expect(req(g, 'interval')).toMatchObject({ target: 'P1M', hardMaximum: 'P3M' });
      expect(g.ramp).toMatchObject({ appliesTo: 'newly-qualified' });
      // LGA standards for employers (NQSW/ASYE): weekly for 6 weeks, fortnightly to 6 months, then the monthly target.
      expect(rampSteps(g.ramp!)).toEqual([{ interval: 'P1W', until: 'P6W' }, { interval: 'P2W', until: 'P6M' }]);
      expect(rampSteps(g.ramp!).every((s) => Duration.fromISO(s.interval) < Duration.fromISO('P1M'))).toBe(true);
    });

    it('record by either party, supervisee gets a signed copy, due in 2 working days (L195, L199, L135)', () => {
      expect(pack.records).toMatchObject({ recorder: 'either', superviseeCopy: true, deadlineWorkingDays: 2 });
      expect(pack.templates.map((t) => t.id)).toContain(pack.records.template);
    });

    it('escalates to a three-way meeting with line managers (L209–L210)', () => {
      const last = pack.reminders.ladder.at(-1)!;
      expect(last.notify).toEqual(expect.arrayContaining(['supervisee-line-manager', 'supervisor-line-manager']));
      expect(pack.urgent).toBeUndefined();
    });
  });
});

describe('a broken pack is refused, naming the field', () => {
  const base = () => readRaw('staffordshire-stoke-icb.json') as any;
  const errorsOf = (pack: unknown): string[] => {
    const r = validatePack(pack);
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.errors;
  };

  it('defaultMinutes outside minMinutes..maxMinutes', () => {
    const pack = base();
    pack.staffGroups[0].duration.defaultMinutes = 150;
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^staffGroups\[0\]\.duration\.defaultMinutes: /));
  });

  it('an unknown record template id', () => {
    const pack = base();
    pack.records.template = 'no-such-template';
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^records\.template: no template "no-such-template"/));
  });

  it('an agreement template used as a record template', () => {
    const pack = base();
    pack.records.template = 'staffordshire-agreement';
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^records\.template: .*agreement template/));
  });

  it('a bad duration string', () => {
    const pack = base();
    pack.staffGroups[1].requirements[0].target = '16 weeks';
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^staffGroups\[1\]\.requirements\[0\]\.target: .*ISO 8601/));
  });

  it('a rule without a source', () => {
    const pack = base();
    pack.rebooking.source = '';
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^rebooking\.source: /));
  });

  it('a per-term requirement with no term calendar', () => {
    const pack = readRaw('lingfield-education-trust.json') as any;
    delete pack.termCalendar;
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^staffGroups\[0\]\.requirements\[0\]: .*termCalendar/));
  });

  it('a hard maximum shorter than the target', () => {
    const pack = readRaw('westmorland-furness-scp.json') as any;
    pack.staffGroups[0].requirements[0].hardMaximum = 'P2W';
    expect(errorsOf(pack)).toContainEqual(expect.stringMatching(/^staffGroups\[0\]\.requirements\[0\]\.hardMaximum: /));
  });

  it('does not change the file on disk', () => {
    expect(validatePack(readRaw('staffordshire-stoke-icb.json')).ok).toBe(true);
  });
});
