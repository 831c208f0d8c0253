/**
 * `pt card <template>`: prints the Adaptive Card a record template becomes, for
 * previewing a template (paste into the Adaptive Cards designer or the Agents
 * Playground). Sample names and dates unless a data file gives them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { countersignCard, recordFormCard, recordSummaryCard } from '../bot/cards/record';
import { loadConfig } from '../config/env';
import { loadPolicies } from '../config/policies';
import type { SupervisionRecord } from '../domain/model';
import type { RecordTemplate } from '../domain/policy/schema';
import { FALLBACK_ZONE, isValidTimeZone } from '../domain/time/zones';
import { builtinTemplates, templatesFor } from '../domain/policy/validate';
import { FIELD_TYPES } from '../domain/records/fieldTypes';
import { MAX_ACTION_ROWS, validateSubmission } from '../domain/records/validation';
import { CliFailure, type CliIO } from './program';

export const CARD_KINDS = ['form', 'countersign', 'summary'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

const SAMPLE = {
  supervisorName: 'Alex Morgan',
  superviseeNames: ['Jordan Lee'],
  sessionStart: '2026-11-23T10:00:00.000Z',
  nextSession: '2026-12-21T10:00:00.000Z',
  jobTitle: 'Social worker',
};

/** What a data file may give (all optional). */
export const CardPreviewData = z
  .object({
    values: z.record(z.string(), z.unknown()).optional(),
    status: z.enum(['draft', 'submitted', 'changes-requested', 'signed', 'disagreed']).optional(),
    version: z.number().int().min(1).optional(),
    supervisorName: z.string().min(1).optional(),
    superviseeNames: z.array(z.string().min(1)).min(1).optional(),
    sessionStart: z.iso.datetime({ offset: true }).optional(),
    nextSession: z.iso.datetime({ offset: true }).optional(),
    jobTitle: z.string().optional(),
    openActions: z.array(z.object({ id: z.string().optional(), text: z.string().min(1), dueOn: z.iso.date(), ownerName: z.string().min(1) })).optional(),
    actionRows: z.number().int().min(0).max(MAX_ACTION_ROWS).optional(),
    errors: z.array(z.object({ fieldId: z.string().optional(), message: z.string() })).optional(),
    notice: z.string().optional(),
    timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone').optional(),
    tabUrl: z.url().optional(),
  })
  .strict();
export type CardPreviewData = z.infer<typeof CardPreviewData>;

/** Every template a preview can use: the built-ins and those of every loaded pack. */
export function availableTemplates(io: CliIO): Map<string, RecordTemplate> {
  const map = new Map<string, RecordTemplate>(builtinTemplates.map((t) => [t.id, t]));
  for (const pack of loadPolicies(loadConfig(io.env, io.cwd).policyDir).values()) {
    for (const [id, t] of templatesFor(pack)) if (!map.has(id)) map.set(id, t);
  }
  return map;
}

/** Plausible answers for every field (for the countersign and summary previews), each from its type's handler. */
export function sampleValues(template: RecordTemplate, sessionDate: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of template.fields) {
    const v = FIELD_TYPES[f.type].sample(f, sessionDate);
    if (v !== undefined) values[f.id] = v;
  }
  return values;
}

function readData(io: CliIO, file: string): CardPreviewData {
  let json: unknown;
  const full = path.resolve(io.cwd, file);
  try {
    json = JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (err) {
    throw new CliFailure(`pt card: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = CardPreviewData.safeParse(json);
  if (!parsed.success) {
    throw new CliFailure(`pt card: ${file} is not valid preview data:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** Builds the preview card (exported for tests and other tools). */
export function previewCard(template: RecordTemplate, kind: CardKind, data: CardPreviewData = {}) {
  const sessionStart = data.sessionStart ?? SAMPLE.sessionStart;
  const sessionDate = sessionStart.slice(0, 10);
  const supervisorName = data.supervisorName ?? SAMPLE.supervisorName;
  const superviseeNames = data.superviseeNames ?? SAMPLE.superviseeNames;
  const tabUrl = data.tabUrl ?? 'http://localhost:3978/tab/';
  const values = data.values ?? (kind === 'form' ? {} : sampleValues(template, sessionDate));
  const checked = validateSubmission(template, values, kind === 'form' && !data.status ? 'draft' : 'submit');
  if (!checked.ok) throw new CliFailure(`pt card: the values do not fit template "${template.id}":\n${checked.errors.map((e) => `  - ${e.fieldId}: ${e.message}`).join('\n')}`);
  const status = data.status ?? (kind === 'form' ? 'draft' : kind === 'countersign' ? 'submitted' : 'signed');
  const submittedAt = '2026-11-24T09:00:00.000Z';
  const record: SupervisionRecord = {
    id: 'rec-preview',
    sessionId: 'ses-preview',
    relationshipId: 'rel-preview',
    templateId: template.id,
    version: data.version ?? 1,
    status,
    authorId: 'p-supervisor',
    values: checked.values,
    signatures:
      status === 'draft' || status === 'changes-requested'
        ? []
        : [
            { personId: 'p-supervisor', role: 'supervisor', at: submittedAt },
            ...(status === 'signed' || status === 'disagreed' ? [{ personId: 'p-supervisee', role: 'supervisee' as const, at: '2026-11-24T15:30:00.000Z' }] : []),
          ],
    ...(status === 'draft' || status === 'changes-requested' ? {} : { submittedAt }),
    ...(status === 'disagreed' ? { disagreement: { byId: 'p-supervisee', at: '2026-11-24T15:30:00.000Z', text: 'Sample disagreement' } } : {}),
    createdAt: sessionStart,
    updatedAt: submittedAt,
    etag: 'preview',
  };
  const names = { 'p-supervisor': supervisorName, 'p-supervisee': superviseeNames.join(', ') };
  const userIds = ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];
  // A preview has no arrangement, so no pack of its own: the zone given, else the fallback.
  const timeZone = data.timeZone ?? FALLBACK_ZONE;
  const common = { template, record, supervisorName, superviseeNames, sessionStart, userIds, tabUrl, timeZone, ...(data.errors ? { errors: data.errors } : {}), ...(data.notice ? { notice: data.notice } : {}) };
  if (kind === 'summary') return recordSummaryCard({ record, sessionStart, tabUrl, names, timeZone });
  if (kind === 'countersign') return countersignCard({ ...common, names });
  const hasActions = template.fields.some((f) => f.type === 'actions');
  const existingRows = Object.values(checked.values).reduce<number>((n, v) => Math.max(n, Array.isArray(v) ? v.length : 0), 0);
  return recordFormCard({
    ...common,
    jobTitle: data.jobTitle ?? SAMPLE.jobTitle,
    openActions: (data.openActions ?? [{ text: 'Sample open action from last time', dueOn: sessionDate, ownerName: superviseeNames[0]! }]).map((a, i) => ({ id: a.id ?? `act-${i}`, text: a.text, dueOn: a.dueOn, ownerName: a.ownerName })),
    nextSession: data.nextSession ?? SAMPLE.nextSession,
    actionRows: data.actionRows ?? (hasActions ? Math.max(1, existingRows) : 0),
  });
}

export function registerCardCommand(program: Command, io: CliIO): Command {
  return program
    .command('card')
    .description('print the Adaptive Card a record template becomes (for previewing a template)')
    .argument('<template>', 'template id (built in, or defined in a loaded policy pack)')
    .option('--data <file>', 'JSON preview data: values, names, dates, actionRows… (default: sample data)')
    .addOption(new Option('--kind <kind>', 'which card').choices([...CARD_KINDS]).default('form'))
    .option('--json', 'print JSON (the output is always JSON)')
    .action((templateId: string, opts: { data?: string; kind: CardKind; json?: boolean }) => {
      const templates = availableTemplates(io);
      const template = templates.get(templateId);
      if (!template) {
        const ids = [...templates.keys()].sort();
        throw new CliFailure(`pt card: no template "${templateId}". Available: ${ids.join(', ')}`, { error: `no template "${templateId}"`, available: ids });
      }
      const data = opts.data ? readData(io, opts.data) : {};
      io.out(JSON.stringify(previewCard(template, opts.kind, data), null, 2) + '\n');
    });
}
