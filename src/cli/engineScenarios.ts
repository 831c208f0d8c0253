/**
 * JSON scenarios for `pt plan`, `pt rebook` and `pt due`, and the JSON they
 * print, as zod schemas. `pt schema <plan|rebook|due>` publishes both as JSON
 * Schema; parsing a scenario reports the offending field by path.
 *
 * A scenario names a policy pack by id (`policyId`, looked up in the policy
 * directory) or carries one inline (`policy`).
 */
import { z } from 'zod';
import type { ExternalSupervisionEntry } from '../domain/due/governorsReport';
import { OBLIGATION_KINDS, OBLIGATION_STATES, type DueInput, type Obligation } from '../domain/due/types';
import type { Agreement, Relationship, SupervisionRecord } from '../domain/model';
import type { PlanResult, RebookResult } from '../domain/planning/types';
import { EscalationTarget, IsoDuration, PolicyPack, Weekday } from '../domain/policy/schema';
import { isValidTimeZone } from '../domain/time/zones';

// ---------------------------------------------------------------------------
// Building blocks

export const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO 8601 instant with a zone, such as 2026-11-03T10:00:00Z')
  .refine((s) => Number.isFinite(Date.parse(s)), 'is not a real date and time');
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:mm');
const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => Number.isFinite(Date.parse(`${s}T00:00:00Z`)), 'is not a real date');
const TimeZone = z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/London');

const RampStepSchema = z.object({ interval: IsoDuration, until: LocalDate.describe('last day of this step, inclusive') });

export const IntervalSchema = z
  .object({ start: Instant, end: Instant })
  .refine((i) => Date.parse(i.end) > Date.parse(i.start), { message: 'must be after start', path: ['end'] });

export const ParticipantSchema = z.object({
  id: z.string().min(1),
  workingHours: z
    .object({ days: z.array(Weekday).min(1), start: LocalTime, end: LocalTime, timeZone: TimeZone })
    .refine((w) => w.start < w.end, { message: 'must be after start', path: ['end'] }),
  busy: z.array(IntervalSchema).default([]),
});

/** `policyId` (from the policy directory) or an inline `policy`, not both. */
const policyChoice = {
  policyId: z.string().min(1).optional().describe('id of a pack in the policy directory (PT_POLICY_DIR, default ./policies)'),
  policy: PolicyPack.optional().describe('an inline policy pack, instead of policyId'),
};
const onePolicy = (s: { policyId?: string; policy?: unknown }) => (s.policyId === undefined) !== (s.policy === undefined);
const onePolicyMessage = { message: 'give either policyId or an inline policy (exactly one)', path: ['policyId'] };

// ---------------------------------------------------------------------------
// Inputs

export const PlanScenario = z
  .object({
    ...policyChoice,
    staffGroupId: z.string().min(1),
    participants: z.array(ParticipantSchema).min(2, 'needs at least two people (a supervisor and a supervisee)'),
    start: Instant,
    horizonMonths: z.number().int().min(1).max(12).optional(),
    durationMinutes: z.number().int().positive().optional(),
    override: z.object({ interval: IsoDuration, until: LocalDate, then: z.array(RampStepSchema).optional() }).optional(),
    rampFrom: LocalDate.optional().describe("start in post of a new member of staff: the staff group's ramp (staffGroups[].ramp) applies from it, unless override is given"),
    preferences: z.object({ weekdays: z.array(Weekday).optional(), times: z.array(LocalTime).optional() }).optional(),
    maxProposals: z.number().int().min(1).max(50).optional(),
  })
  .refine(onePolicy, onePolicyMessage);
export type PlanScenario = z.infer<typeof PlanScenario>;

export const RebookScenario = z
  .object({
    ...policyChoice,
    urgent: z.literal(false).optional(),
    staffGroupId: z.string().min(1),
    cancelled: IntervalSchema,
    cancelledAt: Instant,
    participants: z.array(ParticipantSchema).min(2, 'needs at least two people (a supervisor and a supervisee)'),
    otherSessions: z.array(IntervalSchema).optional(),
    now: Instant,
    maxAlternatives: z.number().int().min(0).max(20).optional(),
  })
  .refine(onePolicy, onePolicyMessage);
export type RebookScenario = z.infer<typeof RebookScenario>;

/** `pt rebook` with `"urgent": true`: the first common free slot in the policy's urgent window. */
export const UrgentScenario = z
  .object({
    ...policyChoice,
    urgent: z.literal(true),
    staffGroupId: z.string().min(1),
    participants: z.array(ParticipantSchema).min(2, 'needs at least two people (a supervisor and a supervisee)'),
    now: Instant,
    durationMinutes: z.number().int().positive().optional(),
    maxAlternatives: z.number().int().min(0).max(20).optional(),
  })
  .refine(onePolicy, onePolicyMessage);
export type UrgentScenario = z.infer<typeof UrgentScenario>;

export const RebookCommandInput = z.union([RebookScenario, UrgentScenario]);

const Signature = z.object({ personId: z.string().min(1), role: z.enum(['supervisor', 'supervisee']), at: Instant });

export const RelationshipSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['individual', 'group']).default('individual'),
  supervisorId: z.string().min(1),
  superviseeIds: z.array(z.string().min(1)).min(1),
  policyId: z.string().min(1),
  staffGroupId: z.string().min(1),
  startedOn: LocalDate,
  override: z
    .object({
      interval: IsoDuration,
      until: LocalDate,
      then: z.array(RampStepSchema).optional().describe('further ramp steps, in order, each until its own date (weekly, then fortnightly, ...)'),
      reason: z.enum(['new-starter', 'newly-qualified', 'new-to-post']).default('new-starter'),
    })
    .optional(),
  unit: z.string().min(1).optional().describe('the school (or other unit) of the relationship, for requirements counted per school'),
  active: z.boolean().default(true),
});

export const SessionSchema = z
  .object({
    id: z.string().min(1),
    relationshipId: z.string().min(1),
    seriesId: z.string().optional(),
    start: Instant,
    end: Instant,
    status: z.enum(['planned', 'held', 'cancelled', 'missed']),
    kind: z.enum(['planned', 'urgent', 'rebooked']).default('planned'),
    calendarEventId: z.string().optional(),
    occurrenceStart: Instant.optional(),
    replacesSessionId: z.string().optional(),
    cancelledAt: Instant.optional().describe('when a cancelled or missed session was found cancelled; the rebook obligation runs from it (default: the session start)'),
  })
  .refine((s) => Date.parse(s.end) > Date.parse(s.start), { message: 'must be after start', path: ['end'] });

export const RecordSchema = z.object({
  id: z.string().min(1),
  sessionId: z.string().min(1),
  relationshipId: z.string().min(1),
  templateId: z.string().default(''),
  version: z.number().int().min(1).default(1),
  status: z.enum(['draft', 'submitted', 'changes-requested', 'signed', 'disagreed']),
  authorId: z.string().min(1),
  values: z.record(z.string(), z.unknown()).default({}),
  submittedAt: Instant.optional(),
  signatures: z.array(Signature).default([]),
  disagreement: z.object({ byId: z.string(), at: Instant, text: z.string() }).optional(),
  createdAt: Instant.optional().describe('default: submittedAt, else the scenario time'),
  updatedAt: Instant.optional().describe('default: submittedAt, else the scenario time'),
  etag: z.string().default(''),
});

export const ActionSchema = z.object({
  id: z.string().min(1),
  relationshipId: z.string().min(1),
  sessionId: z.string().default(''),
  recordId: z.string().default(''),
  text: z.string().default(''),
  ownerId: z.string().min(1),
  dueOn: LocalDate,
  outcomeForChild: z.string().optional(),
  status: z.enum(['open', 'done', 'dropped']),
  completedAt: Instant.optional(),
});

export const AgreementSchema = z.object({
  id: z.string().min(1),
  relationshipId: z.string().min(1),
  templateId: z.string().default(''),
  values: z.record(z.string(), z.unknown()).default({}),
  frequency: z.string().default(''),
  durationMinutes: z.number().int().positive().default(60),
  venue: z.string().default(''),
  type: z.enum(['individual', 'group']).default('individual'),
  reviewOn: LocalDate,
  status: z.enum(['draft', 'signed']),
  signatures: z.array(Signature).default([]),
  createdAt: Instant.optional().describe('default: the scenario time'),
});

export const DueScenario = z.object({
  now: Instant,
  policies: z.array(PolicyPack).optional().describe('inline policy packs; relationships may also name packs in the policy directory'),
  relationships: z.array(RelationshipSchema),
  sessions: z.array(SessionSchema).default([]),
  records: z.array(RecordSchema).default([]),
  actions: z.array(ActionSchema).default([]),
  agreements: z.array(AgreementSchema).default([]),
  externalVisits: z
    .array(
      z
        .object({
          relationshipId: z.string().min(1).optional(),
          unit: z.string().min(1).optional().describe('the school visited (a relationship unit), instead of a relationship'),
          at: Instant,
          by: z.string().min(1).optional().describe('who supervised (for the governors\' report)'),
        })
        .refine((v) => (v.relationshipId === undefined) !== (v.unit === undefined), { message: 'give either relationshipId or unit (exactly one)', path: ['relationshipId'] }),
    )
    .default([]),
});
export type DueScenario = z.infer<typeof DueScenario>;

/** A parsed due scenario as engine input: bookkeeping fields a scenario may leave out are filled from its `now`. */
export function dueInputFromScenario(s: DueScenario, policies: Map<string, PolicyPack>): DueInput {
  const at = (value: string | undefined) => value ?? s.now;
  return {
    now: s.now,
    policies,
    relationships: s.relationships.map((r): Relationship => ({ ...r })),
    sessions: s.sessions,
    records: s.records.map((r): SupervisionRecord => ({ ...r, createdAt: at(r.createdAt ?? r.submittedAt), updatedAt: at(r.updatedAt ?? r.submittedAt) })),
    actions: s.actions,
    agreements: s.agreements.map((a): Agreement => ({ ...a, createdAt: at(a.createdAt) })),
    externalVisits: s.externalVisits,
  };
}

// ---------------------------------------------------------------------------
// Outputs

const IntervalOut = z.object({ start: z.string(), end: z.string() });

export const PlanProposalSchema = z.object({
  id: z.string(),
  rrule: z.string().describe('RFC 5545 RRULE without DTSTART, expanded in timeZone from firstStart'),
  firstStart: z.string(),
  timeZone: z.string(),
  durationMinutes: z.number(),
  description: z.string(),
  occurrences: z.array(z.object({ start: z.string(), end: z.string(), patternStart: z.string(), moved: z.object({ reason: z.string() }).optional() })),
  movedCount: z.number(),
  score: z.number(),
  maxGapDays: z.number().describe('longest gap between consecutive sessions, in local calendar days'),
  gapFromStartDays: z.number().describe('local calendar days from the plan start date to the first session'),
  hardMaximum: z
    .object({ duration: z.string(), longestAllowedGapDays: z.number() })
    .optional()
    .describe("the staff group's hard maximum, which no gap (the first counted from the start date) exceeds, in local calendar days"),
  segments: z.array(z.object({ rrule: z.string(), firstStart: z.string() })),
  skipped: z.array(z.object({ patternStart: z.string(), reason: z.string() })),
});

export const PlanResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    proposals: z.array(PlanProposalSchema),
    rejected: z.array(z.object({ candidate: z.string(), reason: z.string() })),
    rejectedTotal: z.number(),
    notes: z.array(z.string()),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

const RebookByOut = z
  .object({ dueAt: z.string(), deadline: z.enum(['next-working-day', 'window']) })
  .optional()
  .describe('by when the rebooking is owed: close of business on the next working day where the policy says "rebooked immediately" (rebooking.rebookBy), else the end of the rebook window; absent for urgent slots');

export const RebookResultSchema = z.union([
  z.object({ outcome: z.literal('rebook'), slot: IntervalOut, alternatives: z.array(IntervalOut), window: IntervalOut, reason: z.string(), rebookBy: RebookByOut }),
  z.object({ outcome: z.literal('escalate'), reason: z.string(), window: IntervalOut, escalateTo: z.array(EscalationTarget), rebookBy: RebookByOut }),
]);

export const ObligationSchema = z.object({
  id: z.string(),
  kind: z.enum(OBLIGATION_KINDS),
  relationshipId: z.string(),
  subjectId: z.string(),
  owedBy: z.array(z.string()),
  dueAt: z.string(),
  state: z.enum(OBLIGATION_STATES),
  escalationStep: z.number().int(),
  notify: z.array(EscalationTarget),
  explanation: z.string(),
  policyId: z.string(),
  facts: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .optional()
    .describe('the facts behind the explanation as data: e.g. reviewOn/setBy (agreement-review), finding (agreement-check), cancelledAt/deadline (rebook-needed), school/year/visitDates (external-visits), term/held/planned (per-term), interval/rampStepUntil (supervision-due)'),
});

const ExternalSupervisionYearSchema = z.object({
  year: z.string(),
  start: z.string(),
  end: z.string(),
  required: z.number(),
  held: z.number(),
  met: z.boolean(),
  visits: z.array(z.object({ date: z.string(), by: z.string().optional() })),
});

export const ExternalSupervisionSchema = z
  .object({
    policyId: z.string(),
    staffGroupId: z.string(),
    school: z.string().describe('the relationship unit, or the relationship id where the policy counts per relationship'),
    countedPer: z.enum(['relationship', 'school']),
    relationshipIds: z.array(z.string()),
    supervisorIds: z.array(z.string()),
    years: z.array(ExternalSupervisionYearSchema).describe('the current year, then the previous one (when an arrangement had begun by its end)'),
  })
  .describe("a governors' report of external supervision: when it took place, by whom, against the minimum (Lingfield L90)");

export const DueOutputSchema = z.object({
  now: z.string(),
  counts: z.object({ total: z.number(), overdue: z.number(), 'due-soon': z.number(), upcoming: z.number() }),
  obligations: z.array(ObligationSchema),
  externalSupervision: z.array(ExternalSupervisionSchema).describe('for policies with an external-visits requirement; empty otherwise'),
});
export type DueOutput = z.infer<typeof DueOutputSchema>;

// Compile-time: what the domain returns fits what the schemas publish.
type Assignable<A extends B, B> = A;
export type PlanResultFitsSchema = Assignable<PlanResult, z.infer<typeof PlanResultSchema>>;
export type RebookResultFitsSchema = Assignable<RebookResult, z.infer<typeof RebookResultSchema>>;
export type ObligationFitsSchema = Assignable<Obligation, z.infer<typeof ObligationSchema>>;
export type ExternalSupervisionFitsSchema = Assignable<ExternalSupervisionEntry, z.infer<typeof ExternalSupervisionSchema>>;

/** Input and output JSON Schemas of each command, for `pt schema`. */
export function engineJsonSchemas(which: 'plan' | 'rebook' | 'due'): { input: unknown; output: unknown } {
  const pairs = {
    plan: [PlanScenario, PlanResultSchema, 'pt plan'],
    rebook: [RebookCommandInput, RebookResultSchema, 'pt rebook'],
    due: [DueScenario, DueOutputSchema, 'pt due'],
  } as const;
  const [input, output, title] = pairs[which];
  return {
    input: { ...(z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as object), title: `${title} scenario` },
    output: { ...(z.toJSONSchema(output, { io: 'output', unrepresentable: 'any' }) as object), title: `${title} result` },
  };
}
