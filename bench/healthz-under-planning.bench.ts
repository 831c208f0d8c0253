/**
 * Does planning stall everyone else? `node scripts/run-ts.js bench/healthz-under-planning.bench.ts [--n 200]`
 * (after `npm run build`).
 *
 * Starts the built app (node dist/main.js, local mode, no Playground) and, in
 * one run: /healthz latency with the server idle (the baseline), then /healthz
 * latency while 20 planning requests (POST /api/v1/plan, a year of a busy
 * pair's calendars each) are in flight, kept at 20 until the probe ends.
 * Planning runs on worker threads, so /healthz should stay close to idle.
 * Prints p50 / p90 / p99 of both and the ratio.
 */
import { performance } from 'node:perf_hooks';
import { runApp } from '../tests/support/runApp';

const N = (() => {
  const i = process.argv.indexOf('--n');
  return i > 0 ? Number(process.argv[i + 1]) : 200;
})();
const IN_FLIGHT = 20;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms  p90 ${pct(xs, 90).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;

async function probe(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/healthz`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  return out;
}

async function main() {
  // Rate limits scaled up: this measures the event loop, not the per-person limit (which would refuse most of the 20).
  const app = await runApp({ playground: false, env: { PT_LOG_LEVEL: 'warn', PT_JOB_INTERVAL_SECONDS: '3600', PT_RATE_LIMIT_MULTIPLIER: '1000' } });
  try {
    const plan = async () => {
      const t0 = performance.now();
      const res = await fetch(`${app.url}/api/v1/plan`, {
        method: 'POST',
        headers: { 'x-pt-local-user': 'daniel-okafor', 'content-type': 'application/json' },
        body: JSON.stringify({ relationshipId: 'rel-daniel-joe' }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/plan answered ${res.status}`);
      return performance.now() - t0;
    };
    await plan(); // warm up (workers load the planner; the policy calendars are built)
    await probe(app.url, 20);

    const idle = await probe(app.url, N);

    let stop = false;
    const planTimes: number[] = [];
    const loops = Array.from({ length: IN_FLIGHT }, async () => {
      while (!stop) planTimes.push(await plan());
    });
    // Let all 20 be in flight before measuring.
    await new Promise((r) => setTimeout(r, 200));
    const busy = await probe(app.url, N);
    stop = true;
    await Promise.all(loops);

    console.log(`/healthz with the server idle:                ${fmt(idle)}`);
    console.log(`/healthz with ${IN_FLIGHT} planning requests in flight: ${fmt(busy)}`);
    console.log(`p99 ratio (busy / idle): ${(pct(busy, 99) / pct(idle, 99)).toFixed(2)}x; ${planTimes.length} plans completed meanwhile, each ${fmt(planTimes)}`);
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
