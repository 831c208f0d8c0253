#!/usr/bin/env node
// The `pt` admin command. Runs the compiled CLI; `npm run build` produces it.
const path = require('node:path');
const fs = require('node:fs');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`pt: needs Node.js 22 or newer (this is ${process.version}). Run it as \`npx pt\` inside the project, which uses the project's pinned Node.\n`);
  process.exit(1);
}
const cli = path.join(__dirname, '..', 'dist', 'cli', 'pt.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('pt: the app is not built yet. Run `npm run build` first.\n');
  process.exit(1);
}
// node:sqlite is stable enough for us but still prints an ExperimentalWarning; keep CLI output clean.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning && warning.message;
  if (/SQLite is an experimental feature/.test(String(text))) return;
  return emitWarning(warning, ...rest);
};
require(cli).main();
