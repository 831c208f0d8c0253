import { bookSeries, bookUrgent, proposeSeries } from '../../src/usecases/booking';
import { testServices } from '../support/services';

const window = { start: '2026-11-01T00:00:00.000Z', end: '2028-01-01T00:00:00.000Z' };

async function ctx() {
  const c = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  const person = async (id: string) => (await c.services.directory.getPerson(id))!;
  return { ...c, person };
}

describe('booking use case', () => {
  it('a safeguarding lead can book on behalf of a supervisor; the organiser is still the supervisor', async () => {
    const { services, person, calendar } = await ctx();
    const booked = await bookSeries(services, await person('priya-shah'), { relationshipId: 'rel-daniel-joe', requestKey: 'lead-books-0001' });
    expect(booked.sessions.length).toBeGreaterThan(10);
    const events = (await calendar.listEvents('daniel-okafor', window)).filter((e) => e.attendees.some((a) => a.personId === 'joe-bennett'));
    expect(events.every((e) => e.organiserId === 'daniel-okafor')).toBe(true);
    const audit = await services.store.listAudit({ subjectId: 'rel-daniel-joe' });
    expect(audit[0]).toMatchObject({ action: 'book-series', actorId: 'priya-shah', detail: expect.objectContaining({ onBehalf: true }) });
  });

  it('nobody else can book: not a supervisee, not another supervisor, not a line manager', async () => {
    const { services, person } = await ctx();
    // The supervisee and the line manager can see the arrangement but not book it (403); another supervisor
    // cannot even see it, so it answers as a missing one (404).
    for (const [id, status] of [['joe-bennett', 403], ['grace-whitfield', 404], ['helen-carter', 403]] as const) {
      await expect(bookSeries(services, await person(id), { relationshipId: 'rel-daniel-joe', requestKey: `nope-${id}` })).rejects.toMatchObject({ status });
    }
  });

  it('refuses a session length outside the policy range, naming it', async () => {
    const { services, person } = await ctx();
    await expect(proposeSeries(services, await person('grace-whitfield'), { relationshipId: 'rel-grace-tom', durationMinutes: 150 })).rejects.toThrow(/60–120 minutes/);
  });

  it('respects a part-timer\'s working days', async () => {
    const { services, person } = await ctx();
    const { result } = await proposeSeries(services, await person('grace-whitfield'), { relationshipId: 'rel-grace-tom', startDate: '2027-12-01' });
    for (const p of result.proposals) {
      for (const o of p.occurrences) {
        const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'Europe/London' }).format(new Date(o.start));
        expect(['Mon', 'Tue', 'Wed']).toContain(weekday);
      }
    }
  });

  it('books group supervision for several supervisees as one group arrangement, reused next time', async () => {
    const { services, person, calendar } = await ctx();
    const daniel = await person('daniel-okafor');
    const { target } = await proposeSeries(services, daniel, { superviseeIds: ['joe-bennett', 'amira-hussain'] });
    expect(target.relationship).toMatchObject({ kind: 'group', superviseeIds: ['amira-hussain', 'joe-bennett'] });
    const again = await proposeSeries(services, daniel, { superviseeIds: ['amira-hussain', 'joe-bennett'] });
    expect(again.target.relationship.id).toBe(target.relationship.id);
    const booked = await bookSeries(services, daniel, { superviseeIds: ['joe-bennett', 'amira-hussain'], requestKey: 'group-0001' });
    const first = booked.sessions[0]!;
    for (const p of ['daniel-okafor', 'joe-bennett', 'amira-hussain']) {
      const mine = await calendar.listEvents(p, { start: first.start, end: first.end });
      expect(mine.some((e) => e.subject === 'Group supervision')).toBe(true);
    }
  });

  it('refuses group supervision across different supervisors', async () => {
    const { services, person } = await ctx();
    await expect(proposeSeries(services, await person('priya-shah'), { superviseeIds: ['joe-bennett', 'tom-reynolds'] })).rejects.toThrow(/one supervisor/);
  });

  it('a crash after the calendar write is finished by a retry with no duplicate event', async () => {
    const { services, person, calendar, db } = await ctx();
    const daniel = await person('daniel-okafor');
    const saveSeries = services.store.saveSeries.bind(services.store);
    let failed = false;
    services.store.saveSeries = async (s) => {
      if (!failed) {
        failed = true;
        throw new Error('simulated crash');
      }
      return saveSeries(s);
    };
    await expect(bookSeries(services, daniel, { relationshipId: 'rel-daniel-joe', requestKey: 'crash-0001' })).rejects.toThrow('simulated crash');
    const retried = await bookSeries(services, daniel, { relationshipId: 'rel-daniel-joe', requestKey: 'crash-0001' });
    const events = (db.prepare("SELECT COUNT(*) n FROM cal_events WHERE transaction_id LIKE '%:crash-0001%'").get() as { n: number }).n;
    expect(events).toBe(1);
    const occurrences = (await calendar.listEvents('joe-bennett', window)).filter((e) => e.seriesMasterId === retried.series[0]!.calendarEventId);
    expect(occurrences).toHaveLength(retried.sessions.length);
  });

  it('urgent supervision takes the first common free slot within 24 hours', async () => {
    const { services, person } = await ctx();
    const { session } = await bookUrgent(services, await person('daniel-okafor'), { relationshipId: 'rel-daniel-sam', requestKey: 'urgent-0001' });
    const hours = (Date.parse(session.start) - Date.parse('2026-11-23T09:00:00.000Z')) / 3_600_000;
    expect(hours).toBeGreaterThanOrEqual(0);
    expect(hours).toBeLessThanOrEqual(24);
    const again = await bookUrgent(services, await person('daniel-okafor'), { relationshipId: 'rel-daniel-sam', requestKey: 'urgent-0001' });
    expect(again).toMatchObject({ duplicate: true, session: { id: session.id } });
  });
});
