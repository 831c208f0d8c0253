/**
 * `pt card <template>`: previews a template's cards as JSON. The lead wires
 * registerCardCommand into src/cli/pt.ts; here it is mounted on its own program.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { availableTemplates, previewCard, registerCardCommand, sampleValues } from '../../src/cli/cardCommand';
import { CliFailure, type CliIO } from '../../src/cli/pt';
import { builtinTemplates } from '../../src/domain/policy/validate';
import { validateSubmission } from '../../src/domain/records/validation';
import { cardProblems } from '../support/adaptiveCards';

const ROOT = path.resolve(__dirname, '..', '..');

async function card(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), env, cwd: ROOT };
  const program = new Command('pt').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerCardCommand(program, io);
  let error: unknown;
  try {
    await program.parseAsync(['card', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out, err, error };
}

describe('pt card', () => {
  it('prints the form card of a built-in template, prefilled with sample names and dates', async () => {
    const r = await card(['staffordshire-record']);
    expect(r.error).toBeUndefined();
    const c = JSON.parse(r.out);
    expect(cardProblems(c)).toEqual([]);
    expect(c.actions.map((a: { verb?: string }) => a.verb)).toEqual(['record.save', 'record.submit', 'record.addAction', 'record.removeAction', undefined]);
    expect(r.out).toContain('Alex Morgan');
    expect(r.out).toContain('Jordan Lee');
    expect(r.out).toContain('2026-11-23');
  });

  it.each(['form', 'countersign', 'summary'])('prints a valid %s card for a template defined in a policy pack', async (kind) => {
    const r = await card(['westmorland-4x4x4-record', '--kind', kind]);
    expect(r.error).toBeUndefined();
    expect(cardProblems(JSON.parse(r.out))).toEqual([]);
  });

  it('countersign and summary previews use sample answers; the summary shows none of them', async () => {
    const cs = await card(['lingfield-safeguarding-record', '--kind', 'countersign']);
    expect(cs.out).toContain('record.countersign');
    expect(cs.out).toContain('Sample answer for');
    const sum = await card(['lingfield-safeguarding-record', '--kind', 'summary']);
    expect(sum.out).toContain('signed by Alex Morgan and Jordan Lee');
    expect(sum.out).not.toContain('Sample');
  });

  it('takes names, values and rows from a data file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-card-'));
    const file = path.join(dir, 'data.json');
    fs.writeFileSync(file, JSON.stringify({ supervisorName: 'Pat Example', superviseeNames: ['Kim One', 'Lee Two'], values: { concerns: 'Data-file concern' }, actionRows: 3, sessionStart: '2027-01-05T09:30:00Z' }));
    const r = await card(['staffordshire-record', '--data', file]);
    expect(r.error).toBeUndefined();
    const c = JSON.parse(r.out);
    expect(cardProblems(c)).toEqual([]);
    expect(r.out).toContain('Pat Example');
    expect(r.out).toContain('Data-file concern');
    expect(r.out).toContain('action_2_text');
    expect(r.out).toContain('2027-01-05');
  });

  it('refuses an unknown template, listing the available ids', async () => {
    const r = await card(['no-such-template']);
    expect(r.error).toBeInstanceOf(CliFailure);
    const failure = r.error as CliFailure;
    expect(failure.message).toMatch(/no template "no-such-template"/);
    for (const id of ['staffordshire-record', 'signs-of-safety', 'westmorland-4x4x4-record', 'lingfield-staff-incident-record']) expect(failure.message).toContain(id);
    expect((failure.json as { available: string[] }).available).toContain('westmorland-4x4x4-record');
  });

  it('refuses a bad data file or values that do not fit the template', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-card-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ actionRows: 99, surprise: true }));
    const r1 = await card(['staffordshire-record', '--data', bad]);
    expect(r1.error).toBeInstanceOf(CliFailure);
    expect((r1.error as Error).message).toMatch(/actionRows/);
    fs.writeFileSync(bad, JSON.stringify({ values: { date: '2026-02-30' } }));
    const r2 = await card(['staffordshire-record', '--data', bad]);
    expect((r2.error as Error).message).toMatch(/Date must be a real date/);
    const r3 = await card(['staffordshire-record', '--data', path.join(dir, 'missing.json')]);
    expect((r3.error as Error).message).toMatch(/cannot read/);
  });

  it('rejects an unknown kind with a usage error', async () => {
    const r = await card(['staffordshire-record', '--kind', 'poster']);
    expect(r.error).toBeInstanceOf(CommanderError);
    expect(r.err).toMatch(/poster/);
  });

  it('knows every built-in template and every pack template', () => {
    const ids = [...availableTemplates({ out: () => {}, err: () => {}, env: {}, cwd: ROOT }).keys()];
    expect(ids).toEqual(expect.arrayContaining([...builtinTemplates.map((t) => t.id), 'westmorland-4x4x4-record', 'lingfield-staff-incident-record']));
  });

  it('sample answers are valid for every built-in template, and every preview is a valid card', () => {
    for (const t of builtinTemplates) {
      expect(validateSubmission(t, sampleValues(t, '2026-11-23'), 'submit').ok).toBe(true);
      for (const kind of ['form', 'countersign', 'summary'] as const) expect(cardProblems(previewCard(t, kind))).toEqual([]);
    }
  });
});
