/** Loads every policy pack in a directory and refuses to continue if any is invalid. */
import fs from 'node:fs';
import path from 'node:path';
import type { PolicyPack } from '../domain/policy/schema';
import { validatePack } from '../domain/policy/validate';

export class PolicyLoadError extends Error {
  constructor(readonly problems: { file: string; errors: string[] }[]) {
    super(
      'Invalid policy pack(s):\n' +
        problems.map((p) => `  ${p.file}\n${p.errors.map((e) => `    - ${e}`).join('\n')}`).join('\n'),
    );
    this.name = 'PolicyLoadError';
  }
}

/** Far above any real pack (the largest shipped one is under 20 kB); beyond it the file is not read. */
export const MAX_PACK_BYTES = 8 * 1024 * 1024;

export interface PolicyFileResult {
  file: string;
  result: ReturnType<typeof validatePack>;
}

/** Reads and validates one file; JSON syntax errors are reported like schema errors. */
export function readPolicyFile(file: string): PolicyFileResult {
  let json: unknown;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_PACK_BYTES) return { file, result: { ok: false, errors: [`(file): ${size.toLocaleString('en-GB')} bytes; a policy pack is at most ${MAX_PACK_BYTES.toLocaleString('en-GB')}`] } };
    // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse does not accept one.
    json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { file, result: { ok: false, errors: [`(file): ${message}`] } };
  }
  return { file, result: validatePack(json) };
}

export function policyFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new PolicyLoadError([{ file: dir, errors: ['(directory): does not exist'] }]);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function loadPolicies(dir: string): Map<string, PolicyPack> {
  const packs = new Map<string, PolicyPack>();
  const problems: { file: string; errors: string[] }[] = [];
  for (const file of policyFiles(dir)) {
    const { result } = readPolicyFile(file);
    if (!result.ok) problems.push({ file, errors: result.errors });
    else if (packs.has(result.pack.id)) problems.push({ file, errors: [`id: pack id "${result.pack.id}" is used by another file`] });
    else packs.set(result.pack.id, result.pack);
  }
  if (problems.length) throw new PolicyLoadError(problems);
  if (packs.size === 0) throw new PolicyLoadError([{ file: dir, errors: ['(directory): holds no policy packs'] }]);
  return packs;
}
