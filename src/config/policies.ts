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

export interface PolicyFileResult {
  file: string;
  result: ReturnType<typeof validatePack>;
}

/** Reads and validates one file; JSON syntax errors are reported like schema errors. */
export function readPolicyFile(file: string): PolicyFileResult {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
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
