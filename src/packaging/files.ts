/**
 * The file side of packaging: reads env/.env.<env> (then env/.env.<env>.user,
 * where secrets live, git-ignored), the template and icons from manifest/,
 * finds the official schema, and writes appPackage/build/.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  MANIFEST_SCHEMA_URL, PackagingError, buildAppPackage, createManifestValidator, parseEnvFile, placeholderIds,
  type ManifestValidator,
} from './manifest';

export const TEMPLATE_PATH = path.join('manifest', 'manifest.template.json');
export const BUILD_DIR = path.join('appPackage', 'build');
/** Local copies of the official schema, tried in order (see third_party/microsoft/schemas/SOURCE.md). */
export const SCHEMA_CANDIDATES = [
  path.join('node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', 'v1.30', 'MicrosoftTeams.schema.json'),
  path.join('third_party', 'microsoft', 'schemas', 'teams-manifest-1.30.json'),
];

export interface LoadedEnvironment {
  vars: Record<string, string>;
  files: string[];
}

/** env/.env.<env> then env/.env.<env>.user (later files win), as the Agents Toolkit reads them. */
export function loadEnvironment(root: string, envName: string): LoadedEnvironment {
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) throw new PackagingError(`"${envName}" is not an environment name (letters, digits, - and _ only)`);
  const main = path.join(root, 'env', `.env.${envName}`);
  if (!fs.existsSync(main)) {
    const known = fs.existsSync(path.join(root, 'env'))
      ? fs.readdirSync(path.join(root, 'env')).filter((f) => /^\.env\.[^.]+$/.test(f)).map((f) => f.slice(5))
      : [];
    throw new PackagingError(`There is no env/.env.${envName}. Environments here: ${known.join(', ') || 'none'}. Copy env/.env.dev to env/.env.${envName} and fill it in.`);
  }
  const files = [main, `${main}.user`].filter((f) => fs.existsSync(f));
  const vars: Record<string, string> = {};
  for (const f of files) Object.assign(vars, parseEnvFile(fs.readFileSync(f, 'utf8')));
  return { vars, files: files.map((f) => path.relative(root, f)) };
}

export interface SchemaSource {
  validate: ManifestValidator;
  from: string;
}

/**
 * The official v1.30 schema: an explicit path, else a local copy, else a
 * download from the URL the manifest's $schema names. Undefined if none
 * could be had (the caller decides whether that is fatal).
 */
export async function loadManifestSchema(root: string, explicit?: string, fetchImpl: typeof fetch = fetch): Promise<SchemaSource | undefined> {
  const candidates = explicit ? [explicit] : SCHEMA_CANDIDATES;
  for (const c of candidates) {
    const file = path.resolve(root, c);
    if (fs.existsSync(file)) return { validate: createManifestValidator(JSON.parse(fs.readFileSync(file, 'utf8'))), from: file };
    if (explicit) throw new PackagingError(`The schema file ${file} does not exist`);
  }
  try {
    const res = await fetchImpl(MANIFEST_SCHEMA_URL, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return undefined;
    return { validate: createManifestValidator((await res.json()) as object), from: MANIFEST_SCHEMA_URL };
  } catch {
    return undefined;
  }
}

export interface PackageResult {
  zipPath: string;
  manifestPath: string;
  bytes: number;
  envFiles: string[];
  schemaFrom?: string;
  warnings: string[];
}

export async function packageApp(opts: { root: string; env: string; schema?: string; requireSchema?: boolean; fetchImpl?: typeof fetch }): Promise<PackageResult> {
  const { root, env } = opts;
  const loaded = loadEnvironment(root, env);
  const template = fs.readFileSync(path.join(root, TEMPLATE_PATH), 'utf8');
  const icons = {
    color: fs.readFileSync(path.join(root, 'manifest', 'color.png')),
    outline: fs.readFileSync(path.join(root, 'manifest', 'outline.png')),
  };
  const warnings: string[] = [];
  const schema = await loadManifestSchema(root, opts.schema, opts.fetchImpl);
  if (!schema) {
    const message = `Could not find or download the Teams manifest schema v1.30 (${MANIFEST_SCHEMA_URL}); pass --schema <file> to validate against a local copy.`;
    if (opts.requireSchema) throw new PackagingError(message);
    warnings.push(`${message} The package was built without schema validation; Teams checks it again on upload.`);
  }
  const { manifest, zip, vars } = await buildAppPackage({
    template,
    vars: loaded.vars,
    icons,
    validate: schema?.validate ?? (() => ({ valid: true, errors: [] })),
    source: loaded.files.join(' or '),
  });
  const placeholders = placeholderIds(vars);
  if (placeholders.length) warnings.push(`${placeholders.join(', ')} still hold example ids: this package will not sign anyone in. Put your tenant's ids in env/.env.${env}.`);
  const outDir = path.join(root, BUILD_DIR);
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${env}.zip`);
  const manifestPath = path.join(outDir, `manifest.${env}.json`);
  fs.writeFileSync(zipPath, zip);
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { zipPath, manifestPath, bytes: zip.length, envFiles: loaded.files, schemaFrom: schema?.from, warnings };
}
