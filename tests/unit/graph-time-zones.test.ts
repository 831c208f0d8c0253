/**
 * Windows ↔ IANA through windows-iana (CLDR windowsZones.xml) in place of the
 * hand-made table: every zone the table covered answers as it did (the
 * snapshot below was taken from the table before it was removed), and zones it
 * lacked now map instead of failing.
 */
import { fromGraphDateTime, toGraphDateTime, toGraphZone, toIanaZone } from '../../src/adapters/graph/timeZones';

/** Windows zone → IANA as the hand-made table answered (toIanaZone), before windows-iana. */
const WINDOWS_BEFORE: [string, string][] = [
  ['UTC', 'UTC'],
  ['GMT Standard Time', 'Europe/London'],
  ['Greenwich Standard Time', 'Atlantic/Reykjavik'],
  ['W. Europe Standard Time', 'Europe/Berlin'],
  ['Central Europe Standard Time', 'Europe/Budapest'],
  ['Romance Standard Time', 'Europe/Paris'],
  ['Central European Standard Time', 'Europe/Warsaw'],
  ['W. Central Africa Standard Time', 'Africa/Lagos'],
  ['GTB Standard Time', 'Europe/Bucharest'],
  ['FLE Standard Time', 'Europe/Kiev'],
  ['E. Europe Standard Time', 'Europe/Chisinau'],
  ['Turkey Standard Time', 'Europe/Istanbul'],
  ['Israel Standard Time', 'Asia/Jerusalem'],
  ['Egypt Standard Time', 'Africa/Cairo'],
  ['South Africa Standard Time', 'Africa/Johannesburg'],
  ['E. Africa Standard Time', 'Africa/Nairobi'],
  ['Morocco Standard Time', 'Africa/Casablanca'],
  ['Russian Standard Time', 'Europe/Moscow'],
  ['Arabian Standard Time', 'Asia/Dubai'],
  ['Arab Standard Time', 'Asia/Riyadh'],
  ['Pakistan Standard Time', 'Asia/Karachi'],
  ['India Standard Time', 'Asia/Calcutta'],
  ['Bangladesh Standard Time', 'Asia/Dhaka'],
  ['SE Asia Standard Time', 'Asia/Bangkok'],
  ['China Standard Time', 'Asia/Shanghai'],
  ['Singapore Standard Time', 'Asia/Singapore'],
  ['W. Australia Standard Time', 'Australia/Perth'],
  ['Tokyo Standard Time', 'Asia/Tokyo'],
  ['Korea Standard Time', 'Asia/Seoul'],
  ['Cen. Australia Standard Time', 'Australia/Adelaide'],
  ['AUS Central Standard Time', 'Australia/Darwin'],
  ['E. Australia Standard Time', 'Australia/Brisbane'],
  ['AUS Eastern Standard Time', 'Australia/Sydney'],
  ['Tasmania Standard Time', 'Australia/Hobart'],
  ['New Zealand Standard Time', 'Pacific/Auckland'],
  ['Hawaiian Standard Time', 'Pacific/Honolulu'],
  ['Alaskan Standard Time', 'America/Anchorage'],
  ['Pacific Standard Time', 'America/Los_Angeles'],
  ['US Mountain Standard Time', 'America/Phoenix'],
  ['Mountain Standard Time', 'America/Denver'],
  ['Central Standard Time', 'America/Chicago'],
  ['Canada Central Standard Time', 'America/Regina'],
  ['Eastern Standard Time', 'America/New_York'],
  ['SA Pacific Standard Time', 'America/Bogota'],
  ['Atlantic Standard Time', 'America/Halifax'],
  ['Newfoundland Standard Time', 'America/St_Johns'],
  ['E. South America Standard Time', 'America/Sao_Paulo'],
  ['Argentina Standard Time', 'America/Buenos_Aires'],
  ['Azores Standard Time', 'Atlantic/Azores'],
  ['Cape Verde Standard Time', 'Atlantic/Cape_Verde'],
  ['Dateline Standard Time', 'Etc/GMT+12'],
];

/** IANA zone → the name sent to Graph as the hand-made table answered (toGraphZone), before windows-iana. */
const GRAPH_NAME_BEFORE: [string, string][] = [
  ['Europe/London', 'Europe/London'],
  ['Atlantic/Reykjavik', 'Atlantic/Reykjavik'],
  ['Europe/Berlin', 'Europe/Berlin'],
  ['Europe/Budapest', 'Europe/Budapest'],
  ['Europe/Paris', 'Europe/Paris'],
  ['Europe/Warsaw', 'Europe/Warsaw'],
  ['Africa/Lagos', 'Africa/Lagos'],
  ['Europe/Bucharest', 'Europe/Bucharest'],
  ['Europe/Kiev', 'Europe/Kiev'],
  ['Europe/Chisinau', 'E. Europe Standard Time'],
  ['Europe/Istanbul', 'Europe/Istanbul'],
  ['Asia/Jerusalem', 'Asia/Jerusalem'],
  ['Africa/Cairo', 'Africa/Cairo'],
  ['Africa/Johannesburg', 'Africa/Johannesburg'],
  ['Africa/Nairobi', 'Africa/Nairobi'],
  ['Africa/Casablanca', 'Africa/Casablanca'],
  ['Europe/Moscow', 'Europe/Moscow'],
  ['Asia/Dubai', 'Asia/Dubai'],
  ['Asia/Riyadh', 'Asia/Riyadh'],
  ['Asia/Karachi', 'Asia/Karachi'],
  ['Asia/Calcutta', 'India Standard Time'],
  ['Asia/Dhaka', 'Asia/Dhaka'],
  ['Asia/Bangkok', 'Asia/Bangkok'],
  ['Asia/Shanghai', 'Asia/Shanghai'],
  ['Asia/Singapore', 'Asia/Singapore'],
  ['Australia/Perth', 'Australia/Perth'],
  ['Asia/Tokyo', 'Asia/Tokyo'],
  ['Asia/Seoul', 'Asia/Seoul'],
  ['Australia/Adelaide', 'Australia/Adelaide'],
  ['Australia/Darwin', 'Australia/Darwin'],
  ['Australia/Brisbane', 'Australia/Brisbane'],
  ['Australia/Sydney', 'Australia/Sydney'],
  ['Australia/Hobart', 'Australia/Hobart'],
  ['Pacific/Auckland', 'Pacific/Auckland'],
  ['Pacific/Honolulu', 'Pacific/Honolulu'],
  ['America/Anchorage', 'America/Anchorage'],
  ['America/Los_Angeles', 'America/Los_Angeles'],
  ['America/Phoenix', 'America/Phoenix'],
  ['America/Denver', 'America/Denver'],
  ['America/Chicago', 'America/Chicago'],
  ['America/Regina', 'America/Regina'],
  ['America/New_York', 'America/New_York'],
  ['America/Bogota', 'America/Bogota'],
  ['America/Halifax', 'America/Halifax'],
  ['America/St_Johns', 'America/St_Johns'],
  ['America/Sao_Paulo', 'America/Sao_Paulo'],
  ['America/Buenos_Aires', 'Argentina Standard Time'],
  ['Atlantic/Azores', 'Atlantic/Azores'],
  ['Atlantic/Cape_Verde', 'Atlantic/Cape_Verde'],
  ['Etc/GMT+12', 'Etc/GMT+12'],
  ['Europe/Dublin', 'GMT Standard Time'],
  ['Europe/Lisbon', 'GMT Standard Time'],
  ['Europe/Jersey', 'GMT Standard Time'],
  ['Europe/Guernsey', 'GMT Standard Time'],
  ['Europe/Isle_of_Man', 'GMT Standard Time'],
  ['Atlantic/Canary', 'GMT Standard Time'],
  ['Atlantic/Faroe', 'GMT Standard Time'],
  ['Atlantic/Madeira', 'GMT Standard Time'],
  ['Europe/Amsterdam', 'W. Europe Standard Time'],
  ['Europe/Rome', 'W. Europe Standard Time'],
  ['Europe/Vienna', 'W. Europe Standard Time'],
  ['Europe/Zurich', 'W. Europe Standard Time'],
  ['Europe/Stockholm', 'W. Europe Standard Time'],
  ['Europe/Oslo', 'W. Europe Standard Time'],
  ['Europe/Luxembourg', 'W. Europe Standard Time'],
  ['Europe/Malta', 'W. Europe Standard Time'],
  ['Europe/Madrid', 'Romance Standard Time'],
  ['Europe/Brussels', 'Romance Standard Time'],
  ['Europe/Copenhagen', 'Romance Standard Time'],
  ['Europe/Prague', 'Central Europe Standard Time'],
  ['Europe/Bratislava', 'Central Europe Standard Time'],
  ['Europe/Ljubljana', 'Central Europe Standard Time'],
  ['Europe/Belgrade', 'Central Europe Standard Time'],
  ['Europe/Zagreb', 'Central European Standard Time'],
  ['Europe/Helsinki', 'FLE Standard Time'],
  ['Europe/Riga', 'FLE Standard Time'],
  ['Europe/Tallinn', 'FLE Standard Time'],
  ['Europe/Vilnius', 'FLE Standard Time'],
  ['Europe/Sofia', 'FLE Standard Time'],
  ['Europe/Athens', 'GTB Standard Time'],
  ['Asia/Nicosia', 'GTB Standard Time'],
  ['Etc/GMT+11', 'Etc/GMT+11'],
  ['America/Santa_Isabel', 'America/Santa_Isabel'],
  ['America/Chihuahua', 'America/Chihuahua'],
  ['America/Guatemala', 'America/Guatemala'],
  ['America/Mexico_City', 'America/Mexico_City'],
  ['America/Indiana/Indianapolis', 'America/Indiana/Indianapolis'],
  ['America/Caracas', 'America/Caracas'],
  ['America/Asuncion', 'America/Asuncion'],
  ['America/Cuiaba', 'America/Cuiaba'],
  ['America/La_Paz', 'America/La_Paz'],
  ['America/Santiago', 'America/Santiago'],
  ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
  ['America/Cayenne', 'America/Cayenne'],
  ['America/Godthab', 'America/Godthab'],
  ['America/Montevideo', 'America/Montevideo'],
  ['America/Bahia', 'America/Bahia'],
  ['Etc/GMT+2', 'Etc/GMT+2'],
  ['Etc/GMT', 'Etc/GMT'],
  ['Africa/Windhoek', 'Africa/Windhoek'],
  ['Asia/Beirut', 'Asia/Beirut'],
  ['Asia/Damascus', 'Asia/Damascus'],
  ['Europe/Kyiv', 'Europe/Kyiv'],
  ['Asia/Amman', 'Asia/Amman'],
  ['Asia/Baghdad', 'Asia/Baghdad'],
  ['Europe/Kaliningrad', 'Europe/Kaliningrad'],
  ['Asia/Tehran', 'Asia/Tehran'],
  ['Asia/Baku', 'Asia/Baku'],
  ['Indian/Mauritius', 'Indian/Mauritius'],
  ['Asia/Tbilisi', 'Asia/Tbilisi'],
  ['Asia/Yerevan', 'Asia/Yerevan'],
  ['Asia/Kabul', 'Asia/Kabul'],
  ['Asia/Tashkent', 'Asia/Tashkent'],
  ['Asia/Kolkata', 'Asia/Kolkata'],
  ['Asia/Colombo', 'Asia/Colombo'],
  ['Asia/Kathmandu', 'Asia/Kathmandu'],
  ['Asia/Almaty', 'Asia/Almaty'],
  ['Asia/Yekaterinburg', 'Asia/Yekaterinburg'],
  ['Asia/Rangoon', 'Asia/Rangoon'],
  ['Asia/Yangon', 'Asia/Yangon'],
  ['Asia/Novosibirsk', 'Asia/Novosibirsk'],
  ['Asia/Krasnoyarsk', 'Asia/Krasnoyarsk'],
  ['Asia/Taipei', 'Asia/Taipei'],
  ['Asia/Ulaanbaatar', 'Asia/Ulaanbaatar'],
  ['Asia/Irkutsk', 'Asia/Irkutsk'],
  ['Pacific/Port_Moresby', 'Pacific/Port_Moresby'],
  ['Asia/Yakutsk', 'Asia/Yakutsk'],
  ['Pacific/Guadalcanal', 'Pacific/Guadalcanal'],
  ['Asia/Vladivostok', 'Asia/Vladivostok'],
  ['Etc/GMT-12', 'Etc/GMT-12'],
  ['Pacific/Fiji', 'Pacific/Fiji'],
  ['Asia/Magadan', 'Asia/Magadan'],
  ['Pacific/Tongatapu', 'Pacific/Tongatapu'],
  ['Pacific/Apia', 'Pacific/Apia'],
  ['Pacific/Kiritimati', 'Pacific/Kiritimati'],
];

describe('zones the hand-made table covered', () => {
  it.each(WINDOWS_BEFORE)('reads the Windows zone %s as %s', (windows, iana) => {
    expect(toIanaZone(windows)).toBe(iana);
  });

  it.each(GRAPH_NAME_BEFORE)('sends %s to Graph as %s', (iana, graphName) => {
    expect(toGraphZone(iana)).toBe(graphName);
  });
});

describe('zones the table lacked', () => {
  it('reads Windows zones beyond the table by their CLDR default zone', () => {
    expect(toIanaZone('Sri Lanka Standard Time')).toBe('Asia/Colombo');
    expect(toIanaZone('Nepal Standard Time')).toBe('Asia/Katmandu');
    expect(toIanaZone('Venezuela Standard Time')).toBe('America/Caracas');
  });

  it('sends IANA zones Graph does not list, and aliases, by their Windows zone', () => {
    expect(toGraphZone('Europe/Belfast')).toBe('GMT Standard Time');
    expect(toGraphZone('Asia/Ho_Chi_Minh')).toBe('SE Asia Standard Time');
    expect(toGraphZone('Africa/Accra')).toBe('Greenwich Standard Time');
  });

  it('leaves a name it cannot place to the caller, and refuses to send a zone Graph cannot read', () => {
    expect(toIanaZone('Mars Standard Time')).toBeUndefined();
    expect(toIanaZone('')).toBeUndefined();
    expect(() => toGraphZone('Mars/Olympus_Mons')).toThrow(/no name Graph accepts/);
  });
});

describe('date-times', () => {
  it('reads a Graph wall-clock time in a Windows zone as a UTC instant, across a clock change', () => {
    expect(fromGraphDateTime({ dateTime: '2026-07-01T10:00:00.0000000', timeZone: 'GMT Standard Time' })).toBe('2026-07-01T09:00:00.000Z');
    expect(fromGraphDateTime({ dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'GMT Standard Time' })).toBe('2026-12-01T10:00:00.000Z');
    expect(fromGraphDateTime({ dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'Romance Standard Time' })).toBe('2026-12-01T09:00:00.000Z');
  });

  it('writes an instant as wall-clock time in the zone, named as Graph accepts it', () => {
    expect(toGraphDateTime('2026-07-01T09:00:00.000Z', 'Europe/London')).toEqual({ dateTime: '2026-07-01T10:00:00', timeZone: 'Europe/London' });
    expect(toGraphDateTime('2026-07-01T09:00:00.000Z', 'Europe/Dublin')).toEqual({ dateTime: '2026-07-01T10:00:00', timeZone: 'GMT Standard Time' });
  });
});
