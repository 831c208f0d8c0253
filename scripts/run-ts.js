#!/usr/bin/env node
/**
 * Runs a TypeScript file without a build: `node scripts/run-ts.js <file.ts> [args...]`.
 *
 * A tiny require hook compiles each .ts/.tsx file with @swc/core (already a dev
 * dependency, used by jest) to CommonJS on the fly. No type checking: that is
 * `npm run typecheck`'s job. Used by the benchmark and by tests that run code
 * in a child process (for example under another TZ).
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', tsx: filename.endsWith('.tsx') },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
}

Module._extensions['.ts'] = compile;
Module._extensions['.tsx'] = compile;

const [, , file, ...args] = process.argv;
if (!file) {
  process.stderr.write('usage: node scripts/run-ts.js <file.ts> [args...]\n');
  process.exit(2);
}
const target = path.resolve(file);
// Present the script as the main program (so `require.main === module` works) with its own argv.
process.argv = [process.argv[0], target, ...args];
Module.runMain(target);
