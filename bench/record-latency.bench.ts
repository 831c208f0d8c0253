/**
 * Record card latency: `node scripts/run-ts.js bench/record-latency.bench.ts [--n 300]`.
 *
 * Starts the real app (local mode, no Playground), lets a seed session end on
 * the test clock so its record form exists, then sends the record card's
 * Action.Execute "Save draft" to the bot endpoint (/api/messages) N times, each
 * with the etag from the card the previous answer returned: the time from
 * submit to the updated card coming back, p50 / p90 / p99. The baseline in the
 * same run is GET /healthz on the same server (the HTTP round trip alone).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/env';
import { createLogger } from '../src/logging';
import { startApp } from '../src/runtime/start';
import { freePort } from '../tests/support/ports';

const N = (() => {
  const i = process.argv.indexOf('--n');
  return i > 0 ? Number(process.argv[i + 1]) : 300;
})();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function findData(card: unknown, verb: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === verb) found = o.data as Record<string, unknown>;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-latency-'));
  const config = loadConfig({ PT_MODE: 'local', PT_PORT: String(await freePort()), PT_HOST: '127.0.0.1', PT_DATA_DIR: dataDir, PT_PLAYGROUND: 'false', PT_JOB_INTERVAL_SECONDS: '3600', PT_LOG_LEVEL: 'silent' }, path.join(__dirname, '..'));
  const app = await startApp(config, { log: createLogger('silent') });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  try {
    const me = await (await fetch(`${base}/api/v1/me`, { headers: { 'x-pt-local-user': 'sam-patel' } })).json();
    const session = me.upcoming[0];
    await fetch(`${base}/api/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: new Date(Date.parse(session.end) + 300_000).toISOString() }) });
    await fetch(`${base}/api/dev/jobs/run`, { method: 'POST' });
    const row = app.services.embedded!.db.prepare('SELECT id, etag FROM records ORDER BY updated_at DESC LIMIT 1').get() as { id: string; etag: string };
    let data: Record<string, unknown> = { recordId: row.id, etag: row.etag, rows: 1 };

    const invoke = (d: Record<string, unknown>, i: number) =>
      fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'invoke', name: 'adaptiveCard/action', id: `bench-${i}`, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/_connector',
          from: { id: 'user-sam-patel', aadObjectId: '5a1e0c1e-0001-4a00-8000-000000000001', name: 'Sam Patel' },
          recipient: { id: '00000000-0000-0000-0000-00000000b07a' },
          conversation: { id: 'bench-conversation', conversationType: 'personal', tenantId: '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01' },
          value: { action: { type: 'Action.Execute', verb: 'record.save', data: { ...d, experience: `Draft ${i}`, reflection: 'r', analysis: 'a', actionPlanning: 'p' } } },
        }),
      });

    for (let i = 0; i < 10; i++) await fetch(`${base}/healthz`); // warm up
    const health: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await (await fetch(`${base}/healthz`)).json();
      health.push(performance.now() - t);
    }
    const save: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await invoke(data, i);
      const body = await res.json();
      save.push(performance.now() - t);
      const next = findData(body.value ?? body, 'record.save');
      if (!next) throw new Error(`no updated card in the answer: ${JSON.stringify(body).slice(0, 300)}`);
      data = next;
    }
    const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p90 ${pct(xs, 90).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
    process.stdout.write(
      [
        `Record card "Save draft" → updated card, ${N} submits over HTTP to /api/messages (local mode, SQLite):`,
        `  submit → updated card:   ${f(save)}`,
        `  baseline GET /healthz:   ${f(health)}`,
        `  ratio at p50: ${(pct(save, 50) / pct(health, 50)).toFixed(1)}×, at p99: ${(pct(save, 99) / pct(health, 99)).toFixed(1)}×`,
      ].join('\n') + '\n',
    );
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
