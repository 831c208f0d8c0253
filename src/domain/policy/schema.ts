/**
 * The policy-pack format. An organisation's written supervision policy becomes
 * one JSON document validated by this schema: every rule in
 * shared/domain/POLICIES.md is configuration here, not code.
 *
 * Each rule carries a `source`: the clause of the organisation's text it comes
 * from, or "default: ..." when the text is silent and the product chose.
 */
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import { isValidTimeZone } from '../time/zones';

/** ISO 8601 duration of calendar units (P1M, P12W, P2D, PT24H). */
export const IsoDuration = z
  .string()
  .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/, 'must be an ISO 8601 duration such as P1M, P12W, P2D or PT24H')
  .refine((s) => Duration.fromISO(s).isValid, 'is not a valid ISO 8601 duration');

/**
 * An ISO duration between two bounds (inclusive), compared as Luxon's casual
 * lengths (a month is 30 days). A pack is hostile input like any other: a
 * zero or absurd figure (PT1M between sessions, a thousand-year window) is refused,
 * naming the field, rather than planned or judged.
 */
export function durationBetween(min: string, max: string) {
  const lo = Duration.fromISO(min).toMillis();
  const hi = Duration.fromISO(max).toMillis();
  return IsoDuration.refine((s) => {
    const ms = Duration.fromISO(s).toMillis();
    return ms >= lo && ms <= hi;
  }, `must be from ${min} to ${max}`);
}

/** The clause a rule comes from ("§3.1 ...", "L199: ...") or "default: why". */
export const Source = z.string().min(3, 'cite the clause this rule comes from, or say "default: <why>"').max(10_000, 'is longer than 10,000 characters');

/** Names and titles: one line a person reads, not a document. */
const Name = z.string().min(1).max(300, 'is longer than 300 characters');

const Slug = z.string().max(100, 'is longer than 100 characters').regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens');
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:mm');
const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s).isValid, 'is not a real date');
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

export const WorkingHours = z
  .object({
    days: z.array(Weekday).min(1).refine((d) => new Set(d).size === d.length, 'lists a day twice'),
    start: LocalTime,
    end: LocalTime,
    source: Source,
  })
  .refine((w) => w.start < w.end, { message: 'end must be after start', path: ['end'] });
export type WorkingHours = z.infer<typeof WorkingHours>;

/** What a count is kept for: each supervision relationship (the default) or each school (unit) as a whole. */
const CountedPer = z.enum(['relationship', 'school']).default('relationship');

/** How often supervision must happen. A staff group may combine several. */
export const Requirement = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('interval'),
    /** The planned gap between sessions (P1M, P12W). */
    target: durationBetween('P1D', 'P1Y'),
    /** A gap longer than this is a breach (P3M); absent = the policy names none. */
    hardMaximum: durationBetween('P1D', 'P2Y').optional(),
    source: Source,
  }),
  z.object({
    kind: z.literal('rolling-minimum'),
    count: z.number().int().min(1).max(366),
    window: durationBetween('P1W', 'P5Y'),
    source: Source,
  }),
  z.object({
    kind: z.literal('per-term'),
    /** At least `minimum` sessions inside every term of this kind of the term calendar. */
    term: z.enum(['term', 'half-term']),
    minimum: z.number().int().min(1).max(60),
    /** 'school': sessions held in any of a school's relationships (Relationship.unit) count for the school. */
    countedPer: CountedPer,
    source: Source,
  }),
  z.object({
    /** A second, independent requirement tracked separately (Lingfield's Trust-led visits). */
    kind: z.literal('external-visits'),
    minimumPerYear: z.number().int().min(1).max(52),
    yearBasis: z.enum(['academic', 'calendar']),
    /** 'school': visits are to a school and count for every relationship of that school (Relationship.unit). */
    countedPer: CountedPer,
    source: Source,
  }),
]);
export type Requirement = z.infer<typeof Requirement>;

export const DurationRule = z
  .object({
    defaultMinutes: z.number().int().min(15).max(480),
    minMinutes: z.number().int().min(15).max(480),
    maxMinutes: z.number().int().min(15).max(480),
    source: Source,
  })
  .refine((d) => d.minMinutes <= d.defaultMinutes && d.defaultMinutes <= d.maxMinutes, {
    message: 'defaultMinutes must lie between minMinutes and maxMinutes',
    path: ['defaultMinutes'],
  });
export type DurationRule = z.infer<typeof DurationRule>;

/** One step of a ramp: this interval until this long after the start in post. */
export const RampStep = z.object({
  interval: durationBetween('P1D', 'P1Y'),
  /** Measured from the person's start in post (P6W, P6M). */
  until: durationBetween('P1D', 'P5Y'),
});
export type RampStep = z.infer<typeof RampStep>;

/**
 * A time-limited higher frequency for new starters / newly qualified staff
 * (ASYE): one or more steps, each more frequent than the group's own cadence
 * and ending later than the one before (weekly to 6 weeks, fortnightly to
 * 6 months, then the group's interval). The older single-step form
 * (`interval` + `lasts`) is still read: it is one step.
 */
export const Ramp = z.union([
  z
    .object({
      appliesTo: z.enum(['new-starter', 'newly-qualified', 'new-to-post']),
      steps: z.array(RampStep).min(1).max(12),
      source: Source,
    })
    .superRefine((r, ctx) => {
      r.steps.forEach((step, i) => {
        const prev = r.steps[i - 1];
        if (prev && Duration.fromISO(step.until) <= Duration.fromISO(prev.until)) {
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'until'], message: `must be later than step ${i}'s until (${prev.until})` });
        }
      });
    }),
  z.object({
    appliesTo: z.enum(['new-starter', 'newly-qualified', 'new-to-post']),
    interval: durationBetween('P1D', 'P1Y'),
    lasts: durationBetween('P1D', 'P5Y'),
    source: Source,
  }),
]);
export type Ramp = z.infer<typeof Ramp>;

/** A ramp's steps, whichever form the pack wrote it in. */
export function rampSteps(ramp: Ramp): RampStep[] {
  return 'steps' in ramp ? ramp.steps : [{ interval: ramp.interval, until: ramp.lasts }];
}

export const StaffGroup = z.object({
  id: Slug,
  name: Name,
  requirements: z.array(Requirement).min(1, 'a staff group needs at least one frequency requirement').max(20),
  duration: DurationRule,
  ramp: Ramp.optional(),
  group: z
    .object({
      allowed: z.boolean(),
      /** Whether a group session counts towards the individual requirement. */
      countsTowardsRequirement: z.boolean(),
      source: Source,
    })
    .default({ allowed: false, countsTowardsRequirement: false, source: 'default: policy silent on group supervision' }),
  source: Source,
});
export type StaffGroup = z.infer<typeof StaffGroup>;

// ---------------------------------------------------------------------------
// Before and during the session (issue 18): the shared agenda, the pre-session
// card and moves that ask first. Kept in one block so concurrent edits merge cleanly.

/** A standing agenda item every session starts with (wellbeing, caseload, the agreement check). */
export const StandingAgendaItem = z.object({ id: Slug, title: Name });

export const AgendaSettings = z
  .object({
    standingItems: z.array(StandingAgendaItem).max(30),
    /** A card this long before each session, linking to its agenda (no case detail); absent: none. */
    preSessionCard: z.object({ before: durationBetween('PT1H', 'P14D') }).optional(),
    source: Source,
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.standingItems.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['standingItems', i, 'id'], message: `duplicate standing item id "${item.id}"` });
      seen.add(item.id);
    });
  });
export type AgendaSettings = z.infer<typeof AgendaSettings>;

export const SessionMoves = z
  .object({
    /** auto: book the best slot at once; propose: hold it as tentative and ask the supervisee first. */
    mode: z.enum(['auto', 'propose']),
    /** propose: how long the supervisee has to accept or pick another time before the held slot is booked. */
    answerWithin: durationBetween('PT1H', 'P14D').optional(),
    /** Never move a session (or book a replacement) starting sooner than this from now. */
    noMoveWithin: durationBetween('PT1H', 'P14D').optional(),
    source: Source,
  })
  .refine((m) => m.mode !== 'propose' || m.answerWithin !== undefined, { message: 'propose mode needs answerWithin', path: ['answerWithin'] });
export type SessionMoves = z.infer<typeof SessionMoves>;

export const Rebooking = z.object({
  /** nearest-to-original: closest free slot either side of the cancelled date, inside the window. */
  strategy: z.enum(['nearest-to-original', 'earliest']),
  /** How far from the anchor the new slot may be. */
  window: durationBetween('PT1H', 'P1Y'),
  /** What the window is measured from. */
  anchor: z.enum(['original-date', 'cancellation']),
  /** Who is expected to act (for wording and escalation). */
  responsible: z.enum(['supervisor', 'supervisee', 'either']),
  /**
   * Who may keep a cancelled session cancelled instead of accepting the rebooked
   * time, and who is told when they do. Absent: whoever is `responsible`, and
   * both parties and the supervisor's line manager are told.
   */
  keepCancelled: z
    .object({
      allowedBy: z.enum(['supervisor', 'supervisee', 'either']),
      notify: z.array(z.enum(['supervisor', 'supervisee', 'supervisor-line-manager', 'supervisee-line-manager', 'safeguarding-lead'])).min(1),
      source: Source,
    })
    .optional(),
  source: Source,
  /**
   * When the obligation to rebook is due: by the end of the rebook window (the
   * default), or by close of business on the next working day after the
   * cancellation and overdue after ("rebooked immediately", South Glos §3.3).
   */
  rebookBy: z
    .object({
      deadline: z.enum(['window', 'next-working-day']),
      source: Source,
    })
    .optional(),
  /** How a move is made (auto: book now; propose: hold and ask first) and how close to its start a session may still move (absent: auto, no limit). */
  moves: SessionMoves.optional(),
});

export const Urgent = z.object({
  window: durationBetween('PT1H', 'P1M'),
  /** Working hours still apply; protected-time rules (notice, buffers) are relaxed. */
  respectWorkingHours: z.boolean(),
  source: Source,
});

export const Party = z.enum(['supervisor', 'supervisee']);
export const EscalationTarget = z.enum(['supervisor', 'supervisee', 'supervisor-line-manager', 'supervisee-line-manager', 'safeguarding-lead']);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const Records = z.object({
  template: Slug,
  /**
   * Other record forms a session may use instead of `template` (Lingfield: the
   * safeguarding record or the staff/incident form); the recorder picks one.
   */
  alternativeTemplates: z
    .object({ ids: z.array(Slug).min(1).max(10), source: Source })
    .optional(),
  recorder: z.enum(['supervisor', 'supervisee', 'either']),
  countersign: z.boolean(),
  deadlineWorkingDays: z.number().int().min(0).max(60),
  superviseeCopy: z.boolean(),
  disagreementNotifies: z.array(EscalationTarget).min(1),
  source: Source,
});

export const Agreements = z.object({
  required: z.boolean(),
  template: Slug,
  /** Must be in place within this long of the relationship starting (P0D = before the first session). */
  dueWithin: durationBetween('P0D', 'P1Y'),
  reviewEvery: durationBetween('P1M', 'P5Y'),
  checkedEachSession: z.boolean(),
  source: Source,
});

export const LadderStep = z.object({
  /** How long after the obligation falls due this step fires. */
  after: durationBetween('P0D', 'P1Y'),
  notify: z.array(EscalationTarget).min(1).max(5),
});

export const Reminders = z.object({
  /** Remind this long before something falls due. */
  dueSoon: durationBetween('P0D', 'P3M'),
  ladder: z
    .array(LadderStep)
    .min(1)
    .max(20)
    .refine(
      (steps) => steps.every((s, i) => i === 0 || Duration.fromISO(s.after) > Duration.fromISO(steps[i - 1]!.after)),
      'ladder steps must be in increasing order of "after"',
    ),
  quietHours: z.object({ start: LocalTime, end: LocalTime }),
  source: Source,
});

/**
 * What happens to an arrangement's paperwork when its supervisee moves to a new
 * supervisor (a handover, or cover for a long absence). Packs that say nothing
 * get the defaults below, each with its reason.
 */
export const PeopleChanges = z.object({
  /** Open agreed actions: follow the supervisee to the new supervisor, or stay with their owner unchanged. */
  openActions: z.enum(['move', 'stay']),
  /** Records not yet signed (drafts, submitted, changes requested): the new supervisor completes them, or the old one still does. */
  outstandingRecords: z.enum(['new-supervisor', 'old-supervisor']),
  /** The agreement: signed again by the new pair, or carried over as it is. */
  agreement: z.enum(['re-sign', 'carry-over']),
  source: Source,
});
export type PeopleChanges = z.infer<typeof PeopleChanges>;

export const DEFAULT_PEOPLE_CHANGES: PeopleChanges = {
  openActions: 'move',
  outstandingRecords: 'new-supervisor',
  agreement: 're-sign',
  source:
    'default: policy silent on handover paperwork. Actions are the supervisee\'s and carried forward until done, so they follow them; an unsigned record is countersigned by whoever supervises now, so it is not left with someone who no longer does; an agreement is signed by two named people, so a new supervisor signs it afresh',
};

export const Retention = z.object({
  period: durationBetween('P1M', 'P100Y'),
  from: z.enum(['record-signed', 'leaving-organisation', 'session-date']),
  source: Source,
});

export const TermCalendar = z.object({
  terms: z
    .array(z.object({ name: Name, kind: z.enum(['term', 'half-term']), start: LocalDate, end: LocalDate }))
    .min(1)
    .max(1000)
    .superRefine((terms, ctx) => {
      terms.forEach((t, i) => {
        if (t.end < t.start) ctx.addIssue({ code: 'custom', path: [i, 'end'], message: 'term ends before it starts' });
      });
    }),
  source: Source,
});

export const FieldType = z.enum(['text', 'multiline', 'date', 'datetime', 'choice', 'yesno', 'actions', 'info']);
export const TemplateField = z.object({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'must be an identifier'),
  label: z.string().min(1).max(1000, 'is longer than 1,000 characters'),
  type: FieldType,
  required: z.boolean().default(false),
  maxLength: z.number().int().min(1).max(20000).optional(),
  choices: z.array(z.object({ value: z.string().min(1).max(200), title: z.string().min(1).max(500) })).max(200).optional(),
  /** Filled by the app rather than typed. */
  prefill: z.enum(['supervisee-name', 'supervisor-name', 'session-date', 'job-title', 'open-actions', 'next-session']).optional(),
  help: z.string().max(2000, 'is longer than 2,000 characters').optional(),
});
export type TemplateField = z.infer<typeof TemplateField>;

export const RecordTemplate = z
  .object({
    id: Slug,
    name: Name,
    kind: z.enum(['record', 'agreement']),
    fields: z.array(TemplateField).min(1).max(200),
    source: Source,
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.fields.forEach((f, i) => {
      if (seen.has(f.id)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'id'], message: `duplicate field id "${f.id}"` });
      seen.add(f.id);
      if (f.type === 'choice' && !f.choices?.length) ctx.addIssue({ code: 'custom', path: ['fields', i, 'choices'], message: 'a choice field needs choices' });
    });
  });
export type RecordTemplate = z.infer<typeof RecordTemplate>;
export type RecordTemplateInput = z.input<typeof RecordTemplate>;

// ---------------------------------------------------------------------------
// Inspection and data rights (issue 19): retention classes and action drift.
// Kept in one block so concurrent edits elsewhere in this schema merge cleanly.

/** What a retention class covers. */
export const RetainedKind = z.enum(['supervision-record', 'agreement', 'qa-grade']);
export type RetainedKind = z.infer<typeof RetainedKind>;

/**
 * A retention class: how long one kind of thing is kept, from when. Past it, an
 * item is listed for disposal review (never deleted on its own); a legal hold
 * stops disposal. Without a class for a kind, `retention` applies.
 */
export const RetentionClass = z.object({
  id: Slug,
  name: Name,
  covers: z.array(RetainedKind).min(1),
  period: durationBetween('P1M', 'P100Y'),
  from: z.enum(['record-signed', 'leaving-organisation', 'session-date']),
  source: Source,
});
export type RetentionClass = z.infer<typeof RetentionClass>;

/**
 * An action carried forward through more than `afterSessions` sessions is escalated at once. By
 * default to the supervisee's line manager and the supervisor's: where the supervisor is the line
 * manager (common in social work teams), escalation must reach someone above them.
 */
export const ActionDrift = z.object({
  afterSessions: z.number().int().min(1).max(52),
  notify: z.array(EscalationTarget).min(1).default(['supervisee-line-manager', 'supervisor-line-manager']),
  source: Source,
});
export type ActionDrift = z.infer<typeof ActionDrift>;

export const InspectionSettings = {
  retentionClasses: z
    .array(RetentionClass)
    .max(50)
    .superRefine((classes, ctx) => {
      const seen = new Set<string>();
      classes.forEach((c, i) => {
        for (const kind of c.covers) {
          if (seen.has(kind)) ctx.addIssue({ code: 'custom', path: [i, 'covers'], message: `"${kind}" is already covered by another retention class` });
          seen.add(kind);
        }
      });
    })
    .optional(),
  actionDrift: ActionDrift.optional(),
};

export const QaCategories = z.array(z.object({ id: Slug, name: Name, meaning: z.string().max(2000) })).min(1).max(50);

export const PolicyPack = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    id: Slug,
    name: Name,
    organisation: z.object({
      name: Name,
      kind: z.enum(['local-authority', 'safeguarding-partnership', 'nhs', 'school-trust', 'other']),
    }),
    document: z.object({ title: Name, file: z.string().max(300).optional(), version: z.string().max(300).optional() }),
    timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/London'),
    holidayRegion: z.enum(['england-and-wales', 'scotland', 'northern-ireland']),
    workingHours: WorkingHours,
    termCalendar: TermCalendar.optional(),
    staffGroups: z.array(StaffGroup).min(1).max(200, 'more than 200 staff groups'),
    rebooking: Rebooking,
    urgent: Urgent.optional(),
    records: Records,
    agreements: Agreements,
    reminders: Reminders,
    retention: Retention,
    /** Handover and cover: what moves with the supervisee (absent = DEFAULT_PEOPLE_CHANGES). */
    peopleChanges: PeopleChanges.optional(),
    compliance: z.object({
      reportEvery: durationBetween('P1W', 'P2Y'),
      qaCategories: QaCategories.optional(),
      source: Source,
    }),
    /** Templates this pack defines; built-in templates are referenced by id. */
    templates: z.array(RecordTemplate).max(100).default([]),
    ...InspectionSettings,
    /** The shared agenda and the pre-session card (issue 18); absent: no standing items, no pre-session card. */
    agenda: AgendaSettings.optional(),
  })
  .superRefine((pack, ctx) => {
    const ids = new Set<string>();
    pack.staffGroups.forEach((g, i) => {
      if (ids.has(g.id)) ctx.addIssue({ code: 'custom', path: ['staffGroups', i, 'id'], message: `duplicate staff group id "${g.id}"` });
      ids.add(g.id);
      g.requirements.forEach((r, j) => {
        if (r.kind === 'per-term' && !pack.termCalendar) {
          ctx.addIssue({ code: 'custom', path: ['staffGroups', i, 'requirements', j], message: 'a per-term requirement needs a termCalendar in the pack' });
        }
        if (r.kind === 'rolling-minimum' && r.count > Math.ceil(Duration.fromISO(r.window).as('days'))) {
          ctx.addIssue({ code: 'custom', path: ['staffGroups', i, 'requirements', j, 'count'], message: `${r.count} sessions in ${r.window} is more than one a day` });
        }
        if (r.kind === 'interval' && r.hardMaximum && Duration.fromISO(r.hardMaximum) < Duration.fromISO(r.target)) {
          ctx.addIssue({ code: 'custom', path: ['staffGroups', i, 'requirements', j, 'hardMaximum'], message: 'hardMaximum is shorter than target' });
        }
      });
    });
  });
export type PolicyPack = z.infer<typeof PolicyPack>;
export type PolicyPackInput = z.input<typeof PolicyPack>;

