/**
 * Validates cards against the official Adaptive Card 1.5 schema
 * (third_party/microsoft/schemas/adaptive-card-1.5.json, draft-06) and Teams' size limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'third_party', 'microsoft', 'schemas', 'adaptive-card-1.5.json');
/** Teams rejects messages over ~28 KB; cards must fit with room for the envelope. */
export const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

let validateFn: ReturnType<Ajv['compile']> | undefined;

function validator() {
  if (!validateFn) {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    // The file names itself with draft-04's "id"; Ajv 8 only understands "$id".
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    validateFn = ajv.compile(schema);
  }
  return validateFn;
}

export function cardProblems(card: unknown): string[] {
  const validate = validator();
  const problems: string[] = [];
  if (!validate(card)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > TEAMS_CARD_LIMIT_BYTES) problems.push(`card is ${size} bytes, over Teams' ${TEAMS_CARD_LIMIT_BYTES}`);
  return problems;
}
