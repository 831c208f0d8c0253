/**
 * The Teams app package, as pure functions: environment variables (the
 * Agents Toolkit's env/.env.<env> files) are checked, substituted into
 * manifest/manifest.template.json's ${{VAR}} placeholders, the result is
 * validated against the official manifest schema (v1.30), and zipped with the
 * two icons. scripts/package.ts does the file I/O around these.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { z } from 'zod';

export const MANIFEST_VERSION = '1.30';
/** Where Microsoft publishes the schema the template's $schema names. */
export const MANIFEST_SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json';
/** The files in the package, in the order they are zipped. */
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;
export const ICON_SIZES = { color: 192, outline: 32 } as const;

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i, 'must be a host name such as pt.contoso.org (no https://, no path)');
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });

/** The variables the template uses, checked before anything is written. */
export const ManifestVariables = z
  .object({
    TEAMS_APP_ID: guid,
    /** The bot's Entra app id: this app uses one registration for the bot and the tab. */
    BOT_ID: guid,
    /** Host name the tab and bot are served from (the app's PT_PUBLIC_URL host). */
    TAB_DOMAIN: hostname,
    /** https://TAB_DOMAIN (no trailing slash): the app's PT_PUBLIC_URL. */
    TAB_ENDPOINT: httpsUrl.transform((u) => u.replace(/\/+$/, '')),
    /** Appended to the app's short name, e.g. " (dev)"; empty in production. */
    APP_NAME_SUFFIX: z.string().max(16, 'must be at most 16 characters (the short name is limited to 30)').default(''),
    AAD_APP_CLIENT_ID: guid,
    /** api://TAB_DOMAIN/AAD_APP_CLIENT_ID: the form Teams single sign-on requires. */
    AAD_APP_ID_URI: z.string().startsWith('api://', 'must start with api://'),
    PRIVACY_URL: httpsUrl,
    TERMS_URL: httpsUrl,
  })
  .superRefine((v, ctx) => {
    let endpointHost: string | undefined;
    try {
      endpointHost = new URL(v.TAB_ENDPOINT).host;
    } catch {
      endpointHost = undefined;
    }
    if (endpointHost && endpointHost.toLowerCase() !== v.TAB_DOMAIN.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['TAB_DOMAIN'], message: `must be the host of TAB_ENDPOINT (${endpointHost})` });
    }
    if (v.BOT_ID.toLowerCase() !== v.AAD_APP_CLIENT_ID.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['BOT_ID'], message: 'must equal AAD_APP_CLIENT_ID: Protected Time uses one Entra app registration (CLIENT_ID) for the bot and the tab' });
    }
    const expected = `api://${v.TAB_DOMAIN}/${v.AAD_APP_CLIENT_ID}`;
    if (v.AAD_APP_ID_URI.toLowerCase() !== expected.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['AAD_APP_ID_URI'], message: `must be ${expected} (Teams single sign-on needs api://<tab domain>/<client id>)` });
    }
  });

export type ManifestVariables = z.infer<typeof ManifestVariables>;

export class PackagingError extends Error {
  constructor(message: string, readonly problems: string[] = []) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.name = 'PackagingError';
  }
}

/** Parses a dotenv-style file (KEY=value, # comments, optional quotes), as the Agents Toolkit writes them. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]!] = value;
  }
  return out;
}

/** Checks the variables; the error names every missing or bad one and the file to set it in. */
export function resolveManifestVariables(raw: Record<string, string | undefined>, where = 'env/.env.<env>'): ManifestVariables {
  const parsed = ManifestVariables.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Cross-field checks (custom issues) only make sense once each variable is right on its own.
  const basic = parsed.error.issues.filter((i) => i.code !== 'custom');
  const issues = basic.length ? basic : parsed.error.issues;
  const problems = issues.map((issue) => {
    const name = issue.path.join('.') || '(variables)';
    const value = raw[name];
    return value === undefined || value === '' ? `${name} is missing: set it in ${where}` : `${name} (${JSON.stringify(value)}): ${issue.message}`;
  });
  throw new PackagingError('The Teams app manifest cannot be built:', [...new Set(problems)]);
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Names of the ${{VAR}} placeholders in a template. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * Substitutes ${{VAR}} placeholders (JSON-escaped, so a value can never break
 * the document) and parses the result. An unknown placeholder is an error.
 */
export function renderManifest(template: string, vars: Record<string, string>): Record<string, unknown> {
  const unknown = templatePlaceholders(template).filter((name) => vars[name] === undefined);
  if (unknown.length) throw new PackagingError('The manifest template uses variables that are not set:', unknown.map((n) => `${n} is missing`));
  const text = template.replace(PLACEHOLDER, (_m, name: string) => JSON.stringify(vars[name]).slice(1, -1));
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new PackagingError(`The rendered manifest is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Builds the manifest for checked variables (the template's own placeholders only). */
export function buildManifest(template: string, vars: ManifestVariables): Record<string, unknown> {
  return renderManifest(template, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])));
}

export interface ManifestValidator {
  (manifest: unknown): { valid: boolean; errors: string[] };
}

/**
 * A validator for the official Teams manifest schema. The schema declares
 * draft-04 but uses `const` (a draft-06 keyword) and none of draft-04's
 * incompatible forms (boolean exclusiveMaximum, `id`), so Ajv's default
 * dialect validates it faithfully once its $schema line is set aside.
 */
export function createManifestValidator(schema: object): ManifestValidator {
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(rest);
  return (manifest) => {
    const valid = validate(manifest) as boolean;
    return { valid, errors: valid ? [] : formatAjvErrors(validate.errors ?? []) };
  };
}

function formatAjvErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const where = e.instancePath || '(manifest)';
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    return `${where}: ${e.message}${extra}`;
  });
}

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || sig.some((b, i) => png[i] !== b)) throw new PackagingError('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR') throw new PackagingError('PNG has no IHDR chunk');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Icon checks Teams applies on upload: PNG, 192x192 colour, 32x32 outline. */
export function checkIcons(icons: { color: Uint8Array; outline: Uint8Array }): string[] {
  const problems: string[] = [];
  for (const kind of ['color', 'outline'] as const) {
    const want = ICON_SIZES[kind];
    try {
      const { width, height } = pngSize(icons[kind]);
      if (width !== want || height !== want) problems.push(`${kind}.png is ${width}x${height}; Teams needs ${want}x${want}`);
    } catch (err) {
      problems.push(`${kind}.png: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/** The zip Teams admin centre accepts: manifest.json and the two icons at the root, nothing else. */
export async function zipAppPackage(manifest: object, icons: { color: Uint8Array; outline: Uint8Array }): Promise<Buffer> {
  const zip = new JSZip();
  // A fixed date keeps the package byte-for-byte reproducible.
  const date = new Date(Date.UTC(2020, 0, 1));
  zip.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n', { date });
  zip.file('color.png', icons.color, { date, binary: true });
  zip.file('outline.png', icons.outline, { date, binary: true });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** GUIDs that are obviously the examples from env/.env.dev rather than a real tenant's. */
export function placeholderIds(vars: ManifestVariables): string[] {
  return (['TEAMS_APP_ID', 'BOT_ID', 'AAD_APP_CLIENT_ID'] as const).filter((k) => /^00000000-/.test(vars[k]));
}

export interface PackageInputs {
  template: string;
  vars: Record<string, string | undefined>;
  icons: { color: Uint8Array; outline: Uint8Array };
  validate: ManifestValidator;
  /** For error messages: where the variables came from. */
  source?: string;
}

/** Everything between the inputs and the zip, with no I/O: check, render, validate, zip. */
export async function buildAppPackage(input: PackageInputs): Promise<{ manifest: Record<string, unknown>; zip: Buffer; vars: ManifestVariables }> {
  const vars = resolveManifestVariables(input.vars, input.source);
  const manifest = buildManifest(input.template, vars);
  const { valid, errors } = input.validate(manifest);
  if (!valid) throw new PackagingError(`The manifest does not match the Teams manifest schema v${MANIFEST_VERSION}:`, errors);
  const iconProblems = checkIcons(input.icons);
  if (iconProblems.length) throw new PackagingError('The icons are not what Teams requires:', iconProblems);
  const zip = await zipAppPackage(manifest, input.icons);
  return { manifest, zip, vars };
}
