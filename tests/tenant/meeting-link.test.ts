/**
 * First-day defect: an organiser whose calendar does not allow Teams meetings
 * (allowedOnlineMeetingProviders without teamsForBusiness). The app asks the
 * calendar first and does not request a Teams meeting it cannot have; the
 * booking stands, the series is flagged, and the organiser is told once.
 * Its own world: the app caches each organiser's providers for the process.
 */
import { PEOPLE, startWorld, type World } from '../support/m365sim/world';
import { cardsWith, until } from './journey';

jest.setTimeout(180_000);
let w: World;

beforeAll(async () => {
  w = await startWorld({ env: { PT_RECONCILE_SWEEP_MINUTES: '1440' } });
  for (const id of [PEOPLE.daniel, PEOPLE.sam, PEOPLE.helen]) await w.sim.userInstalls(w.publicUrl, id);
  w.sim.calendars.allowedProviders.set(PEOPLE.daniel, ['skypeForConsumer']);
});
afterAll(async () => {
  await w?.stop();
});

test('an organiser without teamsForBusiness: no Teams meeting asked for, booked, flagged, told once', async () => {
  const told = () => cardsWith(w, PEOPLE.daniel, /no Teams meeting link/i);
  for (const [i, rel] of ['rel-daniel-sam', 'rel-daniel-sam'].entries()) {
    const plan = await w.api(PEOPLE.daniel, 'POST', '/plan', { relationshipId: rel });
    expect(plan.status).toBe(200);
    const booked = await w.api(PEOPLE.daniel, 'POST', '/series', { relationshipId: rel, requestKey: 'meeting-link-book-1', proposalId: plan.body.proposals[0].id });
    // The second is the same request again: the duplicate answer, no second notice.
    expect(booked.status).toBe(i === 0 ? 201 : 200);
  }

  // The calendar was asked, once, and the create did not ask for a Teams meeting.
  const asked = w.sim.graph.requests.filter((r) => r.method === 'GET' && r.path === `/users/${PEOPLE.daniel}/calendar`);
  expect(asked).toHaveLength(1);
  expect(asked[0]!.query.$select).toBe('allowedOnlineMeetingProviders');
  const creates = w.sim.graph.requests.filter((r) => r.method === 'POST' && r.path === `/users/${PEOPLE.daniel}/events`);
  expect(creates.length).toBeGreaterThan(0);
  for (const c of creates) {
    expect((c.body as Record<string, unknown>).isOnlineMeeting).toBe(false);
    expect(c.body).not.toHaveProperty('onlineMeetingProvider');
  }
  // Booked in both calendars, without a meeting.
  const series = w.sim.calendars.meetings.find((m) => m.recurrence)!;
  expect(series.isOnlineMeeting).toBe(false);

  // Flagged where the lead sees it.
  const compliance = await w.api(PEOPLE.priya, 'GET', '/compliance');
  expect(compliance.status).toBe(200);
  expect(compliance.body.withoutMeetingLink).toEqual([expect.objectContaining({ relationshipId: 'rel-daniel-sam', subjectId: expect.stringMatching(/^ser-/) })]);

  // Told once, in Teams, without case detail.
  const card = await until(w, "the notice in Daniel's chat", () => told()[0]);
  expect(JSON.stringify(card.card)).toContain('Your supervision series with Sam Patel has no Teams meeting link: your calendar does not allow Teams meetings; add a location or a link.');
  expect(told()).toHaveLength(1);
  expect(cardsWith(w, PEOPLE.sam, /no Teams meeting link/i)).toEqual([]);
});

test('a session rebooked after an Outlook cancellation is flagged too, and the tab shows the flag on the session', async () => {
  const series = w.sim.calendars.meetings.find((m) => m.recurrence)!;
  const second = w.sim.calendars.view(PEOPLE.daniel, series.start, new Date(Date.parse(series.start) + 40 * 86_400_000).toISOString()).filter((v) => v.meeting === series)[1]!;
  w.sim.calendars.cancel(PEOPLE.daniel, second.id);
  const rebooked = await until(w, 'the rebooked session', () => w.sim.calendars.meetings.find((m) => m !== series && !m.cancelled));
  expect(rebooked.isOnlineMeeting).toBe(false);

  // Flagged (the series, and now the rebooked session), where the lead sees it.
  const flagged = await until(w, 'the rebooked session flagged', async () => {
    const res = await w.api(PEOPLE.priya, 'GET', '/compliance');
    const list = res.body.withoutMeetingLink as { relationshipId: string; subjectId: string }[];
    return list.length === 2 ? list : undefined;
  });
  const sessionFlag = flagged.find((f) => !f.subjectId.startsWith('ser-'))!;
  expect(sessionFlag.relationshipId).toBe('rel-daniel-sam');

  // The tab's session view says so, for the rebooked session and for an occurrence of the series alike.
  const view = await w.api(PEOPLE.daniel, 'GET', `/sessions/${encodeURIComponent(sessionFlag.subjectId)}`);
  expect(view.status).toBe(200);
  expect(view.body.session).toMatchObject({ kind: 'rebooked', noMeetingLink: true });
  const me = await w.api(PEOPLE.daniel, 'GET', '/me');
  const occurrence = (me.body.upcoming as { id: string; kind: string }[]).find((s) => s.kind === 'planned')!;
  expect((await w.api(PEOPLE.daniel, 'GET', `/sessions/${encodeURIComponent(occurrence.id)}`)).body.session.noMeetingLink).toBe(true);

  // Still told once per arrangement: no second notice for the rebooked session.
  await w.sim.settled();
  expect(cardsWith(w, PEOPLE.daniel, /no Teams meeting link/i)).toHaveLength(1);
});
