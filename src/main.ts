/** `npm start`: runs the app; in local mode with seed data and the Agents Playground. */
import { ConfigError, loadConfig } from './config/env';
import { PolicyLoadError } from './config/policies';
import { startApp } from './runtime/start';

async function main(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const app = await startApp(config);
  const lines = [
    '',
    `Protected Time is running (${config.mode} mode) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    `  Tab:               ${app.tabUrl}`,
    `  Bot endpoint:      ${app.url}/api/messages`,
    `  Health:            ${app.url}/healthz`,
    ...app.playgrounds.map((p) => `  Agents Playground: ${p.url}   (Teams emulator, signed in as ${p.personId})`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping...\n`);
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof PolicyLoadError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Protected Time failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  }
  process.exit(1);
});
