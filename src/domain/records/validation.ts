/**
 * Server-side validation of a supervision record against its template (pure).
 *
 * A template (policy pack data) becomes a zod schema: each field by its type's
 * handler (fieldTypes.ts), with its maximum length; `required` is enforced only
 * when the record is submitted, so a half-written draft can always be saved.
 * Info fields (open actions, next meeting) are display-only and never stored
 * from a submission; unknown keys are dropped. Errors come back as
 * `{ fieldId, row?, part?, message }` in words a person reads; where a card
 * shows them (which input id an action row's part has) is the card codec's
 * business, in bot/.
 */
import { z } from 'zod';
import type { RecordTemplate, TemplateField } from '../policy/schema';
import { type ActionPart, FIELD_TYPES, type SubmissionMode } from './fieldTypes';

export {
  ACTION_OUTCOME_MAX,
  ACTION_TEXT_MAX,
  DEFAULT_MULTILINE_MAX,
  DEFAULT_TEXT_MAX,
  MAX_ACTION_ROWS,
  actionRowsOf,
  asksOutcomeForChild,
  isRealDate,
  maxLengthOf,
  type ActionOwnerRole,
  type ActionPart,
  type ActionRow,
  type DraftActionRow,
  type SubmissionMode,
} from './fieldTypes';

export interface FieldError {
  /** The template field id (or `comment` for a request for changes or a disagreement). */
  fieldId: string;
  /** For an action row: which row (from 0) and which part of it. */
  row?: number;
  part?: ActionPart;
  message: string;
}

/** The fields a person fills in (everything except display-only fields). */
export function editableFields(template: RecordTemplate): TemplateField[] {
  return template.fields.filter((f) => FIELD_TYPES[f.type].editable);
}

/**
 * The zod schema of a submission for a template. Output: the cleaned values
 * (strings trimmed, unanswered fields left out, info fields and unknown keys dropped).
 */
export function submissionSchema(template: RecordTemplate, mode: SubmissionMode): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const field of editableFields(template)) shape[field.id] = FIELD_TYPES[field.type].schema(field, mode);
  // Every field is present (null = unanswered) so each field's own rules decide what missing means.
  const unanswered = Object.fromEntries(Object.keys(shape).map((id) => [id, null]));
  return z
    .record(z.string(), z.unknown(), { error: 'The record must be an object of answers' })
    .transform((values) => ({ ...unanswered, ...values }))
    .pipe(z.object(shape))
    .transform((values) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
      return out;
    });
}

/** Maps zod issues to field errors (an action row's by row and part). */
export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => {
    const [fieldId, row, part] = i.path;
    if (typeof fieldId !== 'string') return { fieldId: '', message: i.message };
    if (typeof row === 'number' && typeof part === 'string') return { fieldId, row, part: part as ActionPart, message: i.message };
    return { fieldId, message: i.message };
  });
}

export type ValidationResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldError[] };

export function validateSubmission(template: RecordTemplate, values: unknown, mode: SubmissionMode): ValidationResult {
  const parsed = submissionSchema(template, mode).safeParse(values ?? {});
  return parsed.success ? { ok: true, values: parsed.data } : { ok: false, errors: fieldErrorsFromZod(parsed.error) };
}
