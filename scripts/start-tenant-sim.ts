/**
 * `npm run start:tenant-sim`: tenant mode without a tenant. Starts the
 * Microsoft 365 simulator (tests/support/m365sim: Entra ID, Graph calendars
 * and directory, SharePoint lists, Teams and the Bot Framework connector),
 * provisions its SharePoint site with `pt provision`, seeds a small
 * organisation, and runs the compiled app against it with PT_MODE=tenant.
 *
 * Then it prints what you can do, and opens a REPL where `sim` is the
 * simulator (act as Outlook: sim.calendars.cancel(...)) and `world` the running
 * app (world.api(...) calls the tab API as a person, world.setClock(ms) moves time).
 */
import repl from 'node:repl';
import { PEOPLE, startWorld } from '../tests/support/m365sim/world';

async function main(): Promise<void> {
  const port = Number(process.env.PT_PORT ?? 3978);
  const world = await startWorld({ port, log: process.env.PT_LOG_LEVEL ?? 'warn' });
  const { sim } = world;
  for (const id of [PEOPLE.daniel, PEOPLE.sam, PEOPLE.helen]) await sim.userInstalls(world.publicUrl, id);
  let shown = 0;
  setInterval(() => {
    for (const a of sim.activities.slice(shown)) {
      const who = [...sim.users.values()].find((u) => sim.installed.get(u.id)?.chatId === a.conversationId)?.displayName ?? a.conversationId;
      process.stdout.write(`\n[Teams] card to ${who}: ${String(a.activity.summary ?? a.activity.text ?? '')}\n`);
    }
    shown = sim.activities.length;
  }, 500).unref();
  const daniel = await world.userToken(PEOPLE.daniel);
  process.stdout.write(
    [
      '',
      'Protected Time (tenant mode) is running against the Microsoft 365 simulator.',
      `  App (https, the simulator's certificate): ${world.publicUrl}  (http on port ${port})`,
      `  Simulated Microsoft 365:                  ${sim.origin}`,
      '  Daniel Okafor, Sam Patel and Helen Carter have opened the bot; Joe Bennett and Priya Shah have not.',
      '',
      'Book a series as Daniel (his token is valid for an hour; world.userToken(PEOPLE.x) makes more):',
      `  curl -s -X POST http://127.0.0.1:${port}/api/v1/plan -H 'content-type: application/json' -H 'authorization: Bearer ${daniel}' -d '{"relationshipId":"rel-daniel-sam"}'`,
      '',
      'In the REPL: sim.calendars.meetings (every calendar), sim.cardsFor(PEOPLE.sam) (what Teams received),',
      'sim.calendars.cancel(PEOPLE.daniel, <event id>) (cancel as Outlook would), world.setClock(ms) (move time),',
      "sim.fault({ surface: 'graph', kind: '429', every: 3 }) (faults). Ctrl-D stops everything.",
      '',
    ].join('\n'),
  );
  const r = repl.start({ prompt: 'tenant-sim> ' });
  Object.assign(r.context, { sim, world, PEOPLE });
  r.on('exit', () => {
    void world.stop().then(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stderr.write(`start:tenant-sim failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
