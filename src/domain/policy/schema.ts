/**
 * The policy-pack format. An organisation's written supervision policy becomes
 * one JSON document validated by this schema: every rule in
 * shared/domain/POLICIES.md is configuration here, not code.
 *
 * Each rule carries a `source`: the clause of the organisation's text it comes
 * from, or "default: ..." when the text is silent and the product chose.
 */
import { Duration } from 'luxon';
import { z } from 'zod';
import { isValidTimeZone } from '../time/zones';

/** ISO 8601 duration of calendar units (P1M, P12W, P2D, PT24H). */
export const IsoDuration = z
  .string()
  .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/, 'must be an ISO 8601 duration such as P1M, P12W, P2D or PT24H')
  .refine((s) => Duration.fromISO(s).isValid, 'is not a valid ISO 8601 duration');

/** The clause a rule comes from ("§3.1 ...", "L199: ...") or "default: why". */
export const Source = z.string().min(3, 'cite the clause this rule comes from, or say "default: <why>"');

const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens');
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:mm');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
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

/** How often supervision must happen. A staff group may combine several. */
export const Requirement = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('interval'),
    /** The planned gap between sessions (P1M, P12W). */
    target: IsoDuration,
    /** A gap longer than this is a breach (P3M); absent = the policy names none. */
    hardMaximum: IsoDuration.optional(),
    source: Source,
  }),
  z.object({
    kind: z.literal('rolling-minimum'),
    count: z.number().int().min(1),
    window: IsoDuration,
    source: Source,
  }),
  z.object({
    kind: z.literal('per-term'),
    /** At least `minimum` sessions inside every term of this kind of the term calendar. */
    term: z.enum(['term', 'half-term']),
    minimum: z.number().int().min(1),
    source: Source,
  }),
  z.object({
    /** A second, independent requirement tracked separately (Lingfield's Trust-led visits). */
    kind: z.literal('external-visits'),
    minimumPerYear: z.number().int().min(1),
    yearBasis: z.enum(['academic', 'calendar']),
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

/** A time-limited higher frequency for new starters / newly qualified staff (ASYE). */
export const Ramp = z.object({
  appliesTo: z.enum(['new-starter', 'newly-qualified', 'new-to-post']),
  interval: IsoDuration,
  lasts: IsoDuration,
  source: Source,
});

export const StaffGroup = z.object({
  id: Slug,
  name: z.string().min(1),
  requirements: z.array(Requirement).min(1, 'a staff group needs at least one frequency requirement'),
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

export const Rebooking = z.object({
  /** nearest-to-original: closest free slot either side of the cancelled date, inside the window. */
  strategy: z.enum(['nearest-to-original', 'earliest']),
  /** How far from the anchor the new slot may be. */
  window: IsoDuration,
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
});

export const Urgent = z.object({
  window: IsoDuration,
  /** Working hours still apply; protected-time rules (notice, buffers) are relaxed. */
  respectWorkingHours: z.boolean(),
  source: Source,
});

export const Party = z.enum(['supervisor', 'supervisee']);
export const EscalationTarget = z.enum(['supervisor', 'supervisee', 'supervisor-line-manager', 'supervisee-line-manager', 'safeguarding-lead']);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const Records = z.object({
  template: Slug,
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
  dueWithin: IsoDuration,
  reviewEvery: IsoDuration,
  checkedEachSession: z.boolean(),
  source: Source,
});

export const LadderStep = z.object({
  /** How long after the obligation falls due this step fires. */
  after: IsoDuration,
  notify: z.array(EscalationTarget).min(1),
});

export const Reminders = z.object({
  /** Remind this long before something falls due. */
  dueSoon: IsoDuration,
  ladder: z
    .array(LadderStep)
    .min(1)
    .refine(
      (steps) => steps.every((s, i) => i === 0 || Duration.fromISO(s.after) > Duration.fromISO(steps[i - 1]!.after)),
      'ladder steps must be in increasing order of "after"',
    ),
  quietHours: z.object({ start: LocalTime, end: LocalTime }),
  source: Source,
});

export const Retention = z.object({
  period: IsoDuration,
  from: z.enum(['record-signed', 'leaving-organisation', 'session-date']),
  source: Source,
});

export const TermCalendar = z.object({
  terms: z
    .array(z.object({ name: z.string().min(1), kind: z.enum(['term', 'half-term']), start: LocalDate, end: LocalDate }))
    .min(1)
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
  label: z.string().min(1),
  type: FieldType,
  required: z.boolean().default(false),
  maxLength: z.number().int().min(1).max(20000).optional(),
  choices: z.array(z.object({ value: z.string().min(1), title: z.string().min(1) })).optional(),
  /** Filled by the app rather than typed. */
  prefill: z.enum(['supervisee-name', 'supervisor-name', 'session-date', 'job-title', 'open-actions', 'next-session']).optional(),
  help: z.string().optional(),
});
export type TemplateField = z.infer<typeof TemplateField>;

export const RecordTemplate = z
  .object({
    id: Slug,
    name: z.string().min(1),
    kind: z.enum(['record', 'agreement']),
    fields: z.array(TemplateField).min(1),
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

export const QaCategories = z.array(z.object({ id: Slug, name: z.string(), meaning: z.string() })).min(1);

export const PolicyPack = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    id: Slug,
    name: z.string().min(1),
    organisation: z.object({
      name: z.string().min(1),
      kind: z.enum(['local-authority', 'safeguarding-partnership', 'nhs', 'school-trust', 'other']),
    }),
    document: z.object({ title: z.string().min(1), file: z.string().optional(), version: z.string().optional() }),
    timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/London'),
    holidayRegion: z.enum(['england-and-wales', 'scotland', 'northern-ireland']),
    workingHours: WorkingHours,
    termCalendar: TermCalendar.optional(),
    staffGroups: z.array(StaffGroup).min(1),
    rebooking: Rebooking,
    urgent: Urgent.optional(),
    records: Records,
    agreements: Agreements,
    reminders: Reminders,
    retention: Retention,
    compliance: z.object({
      reportEvery: IsoDuration,
      qaCategories: QaCategories.optional(),
      source: Source,
    }),
    /** Templates this pack defines; built-in templates are referenced by id. */
    templates: z.array(RecordTemplate).default([]),
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
        if (r.kind === 'interval' && r.hardMaximum && Duration.fromISO(r.hardMaximum) < Duration.fromISO(r.target)) {
          ctx.addIssue({ code: 'custom', path: ['staffGroups', i, 'requirements', j, 'hardMaximum'], message: 'hardMaximum is shorter than target' });
        }
      });
    });
  });
export type PolicyPack = z.infer<typeof PolicyPack>;
export type PolicyPackInput = z.input<typeof PolicyPack>;
