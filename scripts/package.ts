/**
 * `npm run package` (PT_ENV picks the environment, default dev):
 * builds appPackage/build/appPackage.<env>.zip and manifest.<env>.json from
 * manifest/manifest.template.json and env/.env.<env> (+ .user).
 *
 *   node scripts/run-ts.js scripts/package.ts --env dev [--schema <file>] [--require-schema]
 */
import path from 'node:path';
import { PackagingError } from '../src/packaging/manifest';
import { packageApp } from '../src/packaging/files';

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i === -1) return undefined;
  const value = argv[i + 1];
  if (!value || value.startsWith('--')) throw new PackagingError(`${name} needs a value`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const root = path.resolve(__dirname, '..');
  const env = arg(argv, '--env') ?? process.env.PT_ENV ?? 'dev';
  const result = await packageApp({ root, env, schema: arg(argv, '--schema'), requireSchema: argv.includes('--require-schema') });
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  process.stdout.write(
    [
      `Teams app package for "${env}" (variables from ${result.envFiles.join(', ')})`,
      result.schemaFrom ? `  manifest valid against the Teams manifest schema v1.30 (${rel(result.schemaFrom)})` : '  manifest NOT checked against the schema',
      `  ${rel(result.zipPath)} (${result.bytes} bytes)`,
      `  ${rel(result.manifestPath)}`,
      ...result.warnings.map((w) => `warning: ${w}`),
      '',
    ].join('\n'),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof PackagingError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
