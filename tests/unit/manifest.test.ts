/**
 * The Teams app package: the manifest generated from the template and each
 * environment's variables is valid against Microsoft's official v1.30 schema,
 * the icons are what Teams requires, a missing variable is named, and the zip
 * holds exactly manifest.json and the two icons.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import {
  ManifestVariables, PACKAGE_FILES, PackagingError, buildAppPackage, buildManifest, checkIcons, createManifestValidator,
  parseEnvFile, pngSize, renderManifest, resolveManifestVariables, templatePlaceholders, zipAppPackage,
} from '../../src/packaging/manifest';
import { loadEnvironment, packageApp } from '../../src/packaging/files';
import { resourceSpecificPermissions } from '../../src/tenant/permissions';

const ROOT = path.resolve(__dirname, '..', '..');
/** Microsoft's schema, unchanged (see third_party/microsoft/schemas/SOURCE.md). */
const OFFICIAL_SCHEMA = path.resolve(__dirname, '..', '..', 'third_party', 'microsoft', 'schemas', 'teams-manifest-1.30.json');

function officialSchema(): object {
  if (!fs.existsSync(OFFICIAL_SCHEMA)) throw new Error(`The official Teams manifest schema is missing at ${OFFICIAL_SCHEMA} (see SOURCE.md there); the manifest cannot be checked without it.`);
  return JSON.parse(fs.readFileSync(OFFICIAL_SCHEMA, 'utf8')) as object;
}

const template = fs.readFileSync(path.join(ROOT, 'manifest', 'manifest.template.json'), 'utf8');
const icons = {
  color: fs.readFileSync(path.join(ROOT, 'manifest', 'color.png')),
  outline: fs.readFileSync(path.join(ROOT, 'manifest', 'outline.png')),
};
const validate = createManifestValidator(officialSchema());

const GOOD = {
  TEAMS_APP_ID: '2b0c3a4e-9f6d-4c1e-8a7b-5d4c3b2a1f00',
  BOT_ID: '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c',
  AAD_APP_CLIENT_ID: '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c',
  TAB_DOMAIN: 'pt.riverside.example',
  TAB_ENDPOINT: 'https://pt.riverside.example',
  APP_NAME_SUFFIX: '',
  AAD_APP_ID_URI: 'api://pt.riverside.example/6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c',
  PRIVACY_URL: 'https://www.riverside.example/privacy',
  TERMS_URL: 'https://www.riverside.example/terms',
};

/** Decodes an 8-bit RGBA PNG written with filter type 0 (what scripts/make-icons.js writes). */
function decodeRgba(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => [number, number, number, number] } {
  const { width, height } = pngSize(png);
  expect(png[24]).toBe(8); // bit depth
  expect(png[25]).toBe(6); // RGBA
  const idat: Buffer[] = [];
  for (let i = 8; i < png.length; ) {
    const len = png.readUInt32BE(i);
    const type = png.subarray(i + 4, i + 8).toString('ascii');
    if (type === 'IDAT') idat.push(png.subarray(i + 8, i + 8 + len));
    i += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 4;
  for (let y = 0; y < height; y++) expect(raw[y * stride]).toBe(0);
  return {
    width,
    height,
    pixel: (x, y) => {
      const o = y * stride + 1 + x * 4;
      return [raw[o]!, raw[o + 1]!, raw[o + 2]!, raw[o + 3]!];
    },
  };
}

describe('manifest template', () => {
  it('uses exactly the variables the package checks', () => {
    expect(templatePlaceholders(template)).toEqual(Object.keys(ManifestVariables.shape).sort());
  });

  it.each(['dev', 'local'])('builds a manifest valid against the official v1.30 schema from env/.env.%s', (env) => {
    const { vars } = loadEnvironment(ROOT, env);
    const manifest = buildManifest(template, resolveManifestVariables(vars));
    const result = validate(manifest);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
  });

  it('declares the personal tab, the bot, meeting-event RSC, sign-in and Outlook / Microsoft 365 hosting', () => {
    const m = buildManifest(template, resolveManifestVariables(GOOD)) as Record<string, any>;
    expect(m.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
    expect(m.manifestVersion).toBe('1.30');
    expect(m.id).toBe(GOOD.TEAMS_APP_ID);
    // Personal static tabs are what Outlook and the Microsoft 365 app host (manifest 1.13 and later).
    const home = m.staticTabs.find((t: { entityId: string }) => t.entityId === 'home');
    expect(home).toMatchObject({ scopes: ['personal'], contentUrl: 'https://pt.riverside.example/tab/?host=teams', websiteUrl: 'https://pt.riverside.example/tab/' });
    expect(m.staticTabs.every((t: { scopes: string[] }) => t.scopes.length === 1 && t.scopes[0] === 'personal')).toBe(true);
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0]).toMatchObject({ botId: GOOD.BOT_ID, scopes: ['personal', 'groupChat'], supportsFiles: false });
    expect(m.bots[0].commandLists.flatMap((l: { commands: { title: string }[] }) => l.commands.map((c) => c.title))).toContain('help');
    expect(m.authorization.permissions.resourceSpecific).toEqual(resourceSpecificPermissions());
    expect(m.webApplicationInfo).toMatchObject({ id: GOOD.AAD_APP_CLIENT_ID, resource: GOOD.AAD_APP_ID_URI });
    expect(m.webApplicationInfo.nestedAppAuthInfo[0]).toEqual({ redirectUri: 'brk-multihub://pt.riverside.example', scopes: [`${GOOD.AAD_APP_ID_URI}/access_as_user`] });
    expect(m.validDomains).toEqual(['pt.riverside.example']);
    expect(m.devicePermissions).toEqual([]);
    expect(m.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('declares the meeting side panel (issue 18): a group-chat tab in the meeting side panel, configured by the tab itself', () => {
    const m = buildManifest(template, resolveManifestVariables(GOOD)) as Record<string, any>;
    expect(m.configurableTabs).toEqual([
      {
        configurationUrl: 'https://pt.riverside.example/tab/?host=teams&configure=meeting',
        canUpdateConfiguration: false,
        scopes: ['groupChat'],
        context: ['meetingSidePanel', 'meetingDetailsTab', 'meetingChatTab'],
        meetingSurfaces: ['sidePanel'],
      },
    ]);
    expect(validate(m).valid).toBe(true);
    // The schema knows the context: a misspelt one is refused.
    expect(validate({ ...m, configurableTabs: [{ ...m.configurableTabs[0], context: ['meetingSidePanels'] }] }).valid).toBe(false);
  });

  it('the schema check is real: it rejects what Teams would reject', () => {
    const m = buildManifest(template, resolveManifestVariables(GOOD)) as Record<string, any>;
    expect(validate({ ...m, id: 'not-a-guid' }).errors.join('\n')).toMatch(/\/id/);
    expect(validate({ ...m, staticTabs: [...m.staticTabs, { entityId: 'x', scopes: ['everywhere'] }] }).valid).toBe(false);
    expect(validate({ ...m, surprise: true }).errors.join('\n')).toMatch(/surprise/);
    const { developer: _d, ...noDeveloper } = m;
    expect(validate(noDeveloper).errors.join('\n')).toMatch(/developer/);
  });

  it('escapes values so a variable can never break the JSON', () => {
    const m = renderManifest('{"a": "${{X}}"}', { X: 'quote " and \\ backslash' });
    expect(m).toEqual({ a: 'quote " and \\ backslash' });
    expect(() => renderManifest('{"a": "${{NOPE}}"}', {})).toThrow(/NOPE is missing/);
  });
});

describe('variables', () => {
  it('names a missing variable and where to set it', () => {
    const { TAB_DOMAIN: _t, ...missing } = GOOD;
    let error: unknown;
    try {
      resolveManifestVariables(missing, 'env/.env.prod');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PackagingError);
    // Only the missing variable: no knock-on complaints about the values that depend on it.
    expect((error as PackagingError).problems).toEqual(['TAB_DOMAIN is missing: set it in env/.env.prod']);
    expect((error as Error).message).toMatch(/TAB_DOMAIN is missing/);
  });

  it('lists every problem at once, with the bad value', () => {
    const bad = { ...GOOD, TEAMS_APP_ID: 'abc', TAB_ENDPOINT: 'http://pt.riverside.example', TERMS_URL: '' };
    const problems = (() => {
      try {
        resolveManifestVariables(bad);
        return [];
      } catch (err) {
        return (err as PackagingError).problems;
      }
    })();
    expect(problems.some((p) => p.startsWith('TEAMS_APP_ID ("abc"): must be a GUID'))).toBe(true);
    expect(problems.some((p) => p.startsWith('TAB_ENDPOINT') && p.includes('https'))).toBe(true);
    expect(problems.some((p) => p.startsWith('TERMS_URL is missing'))).toBe(true);
  });

  it('catches the mistakes that break sign-in or the bot', () => {
    const problems = (vars: Record<string, string>) => {
      try {
        resolveManifestVariables(vars);
        return '';
      } catch (err) {
        return (err as PackagingError).problems.join('\n');
      }
    };
    expect(problems({ ...GOOD, TAB_DOMAIN: 'other.example' })).toMatch(/TAB_DOMAIN.*host of TAB_ENDPOINT/);
    expect(problems({ ...GOOD, BOT_ID: GOOD.TEAMS_APP_ID })).toMatch(/BOT_ID.*must equal AAD_APP_CLIENT_ID/);
    expect(problems({ ...GOOD, AAD_APP_ID_URI: `api://${GOOD.AAD_APP_CLIENT_ID}` })).toMatch(/AAD_APP_ID_URI.*api:\/\/pt\.riverside\.example\//);
    expect(problems({ ...GOOD, TAB_ENDPOINT: 'https://pt.riverside.example/' })).toBe('');
  });

  it('reads env files the way the Agents Toolkit writes them', () => {
    expect(
      parseEnvFile('# comment\nA=1\nB=" (dev)"\nC=\'single\'\nD=value # trailing comment\nexport E=e\n\nnot a line\nF=https://x.example/#frag'),
    ).toEqual({ A: '1', B: ' (dev)', C: 'single', D: 'value', E: 'e', F: 'https://x.example/#frag' });
  });

  it('a .user file overrides the shared one (secrets live there)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-env-'));
    fs.mkdirSync(path.join(root, 'env'));
    fs.writeFileSync(path.join(root, 'env', '.env.test'), 'A=1\nB=2\n');
    fs.writeFileSync(path.join(root, 'env', '.env.test.user'), 'B=3\nSECRET_X=s\n');
    expect(loadEnvironment(root, 'test')).toEqual({ vars: { A: '1', B: '3', SECRET_X: 's' }, files: ['env/.env.test', 'env/.env.test.user'] });
    expect(() => loadEnvironment(root, 'prod')).toThrow(/no env\/\.env\.prod.*Environments here: test/);
  });
});

describe('icons', () => {
  it('are PNGs of the sizes Teams requires', () => {
    expect(pngSize(icons.color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(icons.outline)).toEqual({ width: 32, height: 32 });
    expect(checkIcons(icons)).toEqual([]);
    expect(checkIcons({ color: icons.outline, outline: Buffer.from('not a png') })).toEqual(['color.png is 32x32; Teams needs 192x192', 'outline.png: not a PNG file']);
  });

  it('the outline icon is white on transparent; the colour icon is opaque', () => {
    const outline = decodeRgba(icons.outline);
    let transparent = 0;
    let drawn = 0;
    for (let y = 0; y < outline.height; y++) {
      for (let x = 0; x < outline.width; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a === 0) transparent++;
        else {
          drawn++;
          expect([r, g, b]).toEqual([255, 255, 255]);
        }
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    expect(drawn).toBeGreaterThan(50);
    const color = decodeRgba(icons.color);
    for (const [x, y] of [[0, 0], [191, 0], [96, 96], [0, 191], [191, 191]] as const) expect(color.pixel(x, y)[3]).toBe(255);
  });

  it('are what scripts/make-icons.js draws (the committed PNGs are current)', () => {
    const { encodePng, colorIcon, outlineIcon } = require('../../scripts/make-icons.js') as {
      encodePng: (w: number, h: number, rgba: Uint8Array) => Buffer;
      colorIcon: (size: number) => Uint8Array;
      outlineIcon: (size: number) => Uint8Array;
    };
    expect(encodePng(192, 192, colorIcon(192)).equals(icons.color)).toBe(true);
    expect(encodePng(32, 32, outlineIcon(32)).equals(icons.outline)).toBe(true);
  });
});

describe('package', () => {
  it('the zip holds exactly manifest.json, color.png and outline.png', async () => {
    const { manifest, zip } = await buildAppPackage({ template, vars: GOOD, icons, validate });
    const unzipped = await JSZip.loadAsync(zip);
    const names = Object.values(unzipped.files).filter((f) => !f.dir).map((f) => f.name);
    expect(names.sort()).toEqual([...PACKAGE_FILES].sort());
    expect(JSON.parse(await unzipped.file('manifest.json')!.async('string'))).toEqual(manifest);
    expect((await unzipped.file('color.png')!.async('nodebuffer')).equals(icons.color)).toBe(true);
    expect((await unzipped.file('outline.png')!.async('nodebuffer')).equals(icons.outline)).toBe(true);
    // Reproducible: the same inputs give the same bytes.
    expect((await zipAppPackage(manifest, icons)).equals(zip)).toBe(true);
  });

  it('refuses to zip a manifest the schema rejects', async () => {
    const broken = template.replace('"manifestVersion": "1.30"', '"manifestVersion": "1.29"');
    await expect(buildAppPackage({ template: broken, vars: GOOD, icons, validate })).rejects.toThrow(/does not match the Teams manifest schema v1\.30[\s\S]*manifestVersion/);
  });

  it('npm run package writes appPackage/build/appPackage.<env>.zip and manifest.<env>.json', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-pkg-'));
    fs.cpSync(path.join(ROOT, 'manifest'), path.join(root, 'manifest'), { recursive: true });
    fs.mkdirSync(path.join(root, 'env'));
    fs.writeFileSync(path.join(root, 'env', '.env.prod'), Object.entries(GOOD).map(([k, v]) => `${k}=${v}`).join('\n'));
    fs.writeFileSync(path.join(root, 'env', '.env.prod.user'), 'SECRET_AAD_APP_CLIENT_SECRET=never-in-the-package\n');
    const result = await packageApp({ root, env: 'prod', schema: OFFICIAL_SCHEMA, requireSchema: true });
    expect(result.zipPath).toBe(path.join(root, 'appPackage', 'build', 'appPackage.prod.zip'));
    expect(result.schemaFrom).toBe(OFFICIAL_SCHEMA);
    expect(result.warnings).toEqual([]);
    const zip = fs.readFileSync(result.zipPath);
    expect(zip.length).toBe(result.bytes);
    expect(zip.includes('never-in-the-package')).toBe(false);
    const written = JSON.parse(fs.readFileSync(result.manifestPath, 'utf8'));
    expect(validate(written).valid).toBe(true);
    expect(written.id).toBe(GOOD.TEAMS_APP_ID);
  });

  it('warns when the example ids are still in place', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-pkg-'));
    fs.cpSync(path.join(ROOT, 'manifest'), path.join(root, 'manifest'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'env'), path.join(root, 'env'), { recursive: true });
    const result = await packageApp({ root, env: 'dev', schema: OFFICIAL_SCHEMA });
    expect(result.warnings.join('\n')).toMatch(/TEAMS_APP_ID, BOT_ID, AAD_APP_CLIENT_ID still hold example ids/);
  });
});
