/** Shapes the tab receives from /api/v1 (booking and people). */
export interface PolicySummary {
  policyId: string;
  policyName: string;
  staffGroupId: string;
  staffGroupName: string;
  frequency: string;
  duration: { default: number; min: number; max: number };
  groupSupervision: boolean;
  urgentWindow?: string;
  rebookWindow: string;
  timeZone: string;
}

export interface RelationshipRow {
  id: string;
  kind: 'individual' | 'group';
  viewpoint: string;
  supervisor: string;
  supervisorId: string;
  supervisees: { id: string; name: string; jobTitle: string }[];
  policy?: PolicySummary;
  override?: { interval: string; until: string; then?: { interval: string; until: string }[]; reason: string };
  lastSession: { start: string; status: string } | null;
  nextSession: { start: string; end: string } | null;
  plannedCount: number;
  canBook: boolean;
  /** The pack's zone: the row's dates, and what is booked for it, are read in it. */
  timeZone: string;
}

export interface ProposalSummary {
  id: string;
  description: string;
  durationMinutes: number;
  movedCount: number;
  maxGapDays: number;
  score: number;
  occurrences: { start: string; end: string; moved?: { from: string; reason: string } }[];
  skipped: { patternStart: string; reason: string }[];
}

export interface PlanResponse {
  relationshipId: string;
  policy: PolicySummary;
  durationMinutes: number;
  proposals: ProposalSummary[];
  rejected: { candidate: string; reason: string }[];
  rejectedTotal: number;
  notes: string[];
}

export interface BookResponse {
  relationshipId: string;
  duplicate: boolean;
  description: string;
  sessions: { id: string; start: string; end: string; moved: boolean }[];
}
