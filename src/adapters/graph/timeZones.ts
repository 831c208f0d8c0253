/**
 * Time zones between the app (IANA names, UTC instants) and Graph
 * (dateTimeTimeZone: wall-clock time plus a Windows or IANA zone name).
 *
 * Windows → IANA: a small table from CLDR's windowsZones.xml (territory "001",
 * the zone CLDR treats as the default for each Windows zone), covering the
 * zones an English-speaking social-care tenant is likely to use. A name the
 * table lacks maps to undefined and the caller decides (mailbox working hours
 * are then treated as unknown; event times fall back to UTC).
 *
 * IANA → Graph: resources/datetimetimezone.md lists the IANA names Graph
 * accepts besides every Windows name; other IANA zones are sent by their
 * Windows name.
 */
import { DateTime } from 'luxon';
import { isValidTimeZone } from '../../domain/time/zones';

/** Windows zone id → IANA (CLDR windowsZones.xml, territory 001). */
const WINDOWS_TO_IANA: Record<string, string> = {
  UTC: 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'GTB Standard Time': 'Europe/Bucharest',
  'FLE Standard Time': 'Europe/Kiev',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'E. Africa Standard Time': 'Africa/Nairobi',
  'Morocco Standard Time': 'Africa/Casablanca',
  'Russian Standard Time': 'Europe/Moscow',
  'Arabian Standard Time': 'Asia/Dubai',
  'Arab Standard Time': 'Asia/Riyadh',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Calcutta',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'Tasmania Standard Time': 'Australia/Hobart',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Canada Central Standard Time': 'America/Regina',
  'Eastern Standard Time': 'America/New_York',
  'SA Pacific Standard Time': 'America/Bogota',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'Azores Standard Time': 'Atlantic/Azores',
  'Cape Verde Standard Time': 'Atlantic/Cape_Verde',
  'Dateline Standard Time': 'Etc/GMT+12',
};

/** IANA zones Graph does not list, sent under the Windows zone CLDR maps them to. */
const IANA_TO_WINDOWS_EXTRA: Record<string, string> = {
  'Europe/Dublin': 'GMT Standard Time',
  'Europe/Lisbon': 'GMT Standard Time',
  'Europe/Jersey': 'GMT Standard Time',
  'Europe/Guernsey': 'GMT Standard Time',
  'Europe/Isle_of_Man': 'GMT Standard Time',
  'Atlantic/Canary': 'GMT Standard Time',
  'Atlantic/Faroe': 'GMT Standard Time',
  'Atlantic/Madeira': 'GMT Standard Time',
  'Europe/Amsterdam': 'W. Europe Standard Time',
  'Europe/Rome': 'W. Europe Standard Time',
  'Europe/Vienna': 'W. Europe Standard Time',
  'Europe/Zurich': 'W. Europe Standard Time',
  'Europe/Stockholm': 'W. Europe Standard Time',
  'Europe/Oslo': 'W. Europe Standard Time',
  'Europe/Luxembourg': 'W. Europe Standard Time',
  'Europe/Malta': 'W. Europe Standard Time',
  'Europe/Madrid': 'Romance Standard Time',
  'Europe/Brussels': 'Romance Standard Time',
  'Europe/Copenhagen': 'Romance Standard Time',
  'Europe/Prague': 'Central Europe Standard Time',
  'Europe/Bratislava': 'Central Europe Standard Time',
  'Europe/Ljubljana': 'Central Europe Standard Time',
  'Europe/Belgrade': 'Central Europe Standard Time',
  'Europe/Zagreb': 'Central European Standard Time',
  'Europe/Helsinki': 'FLE Standard Time',
  'Europe/Riga': 'FLE Standard Time',
  'Europe/Tallinn': 'FLE Standard Time',
  'Europe/Vilnius': 'FLE Standard Time',
  'Europe/Sofia': 'FLE Standard Time',
  'Europe/Athens': 'GTB Standard Time',
  'Asia/Nicosia': 'GTB Standard Time',
};

/** IANA names Graph accepts in dateTimeTimeZone (resources/datetimetimezone.md), besides Windows names. */
const GRAPH_IANA = new Set(
  `Etc/GMT+12 Etc/GMT+11 Pacific/Honolulu America/Anchorage America/Santa_Isabel America/Los_Angeles America/Phoenix
  America/Chihuahua America/Denver America/Guatemala America/Chicago America/Mexico_City America/Regina America/Bogota
  America/New_York America/Indiana/Indianapolis America/Caracas America/Asuncion America/Halifax America/Cuiaba
  America/La_Paz America/Santiago America/St_Johns America/Sao_Paulo America/Argentina/Buenos_Aires America/Cayenne
  America/Godthab America/Montevideo America/Bahia Etc/GMT+2 Atlantic/Azores Atlantic/Cape_Verde Africa/Casablanca
  Etc/GMT Europe/London Atlantic/Reykjavik Europe/Berlin Europe/Budapest Europe/Paris Europe/Warsaw Africa/Lagos
  Africa/Windhoek Europe/Bucharest Asia/Beirut Africa/Cairo Asia/Damascus Africa/Johannesburg Europe/Kyiv Europe/Kiev
  Europe/Istanbul Asia/Jerusalem Asia/Amman Asia/Baghdad Europe/Kaliningrad Asia/Riyadh Africa/Nairobi Asia/Tehran
  Asia/Dubai Asia/Baku Europe/Moscow Indian/Mauritius Asia/Tbilisi Asia/Yerevan Asia/Kabul Asia/Karachi Asia/Tashkent
  Asia/Kolkata Asia/Colombo Asia/Kathmandu Asia/Almaty Asia/Dhaka Asia/Yekaterinburg Asia/Rangoon Asia/Yangon
  Asia/Bangkok Asia/Novosibirsk Asia/Shanghai Asia/Krasnoyarsk Asia/Singapore Australia/Perth Asia/Taipei
  Asia/Ulaanbaatar Asia/Irkutsk Asia/Tokyo Asia/Seoul Australia/Adelaide Australia/Darwin Australia/Brisbane
  Australia/Sydney Pacific/Port_Moresby Australia/Hobart Asia/Yakutsk Pacific/Guadalcanal Asia/Vladivostok
  Pacific/Auckland Etc/GMT-12 Pacific/Fiji Asia/Magadan Pacific/Tongatapu Pacific/Apia Pacific/Kiritimati`.split(/\s+/),
);

const IANA_TO_WINDOWS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(WINDOWS_TO_IANA).map(([windows, iana]) => [iana, windows])),
  ...IANA_TO_WINDOWS_EXTRA,
};

/** The IANA zone for a Graph zone name (Windows or IANA), or undefined when we cannot tell. */
export function toIanaZone(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const trimmed = name.trim();
  if (/^(utc|etc\/utc|etc\/gmt|gmt|coordinated universal time)$/i.test(trimmed)) return 'UTC';
  const windows = WINDOWS_TO_IANA[trimmed];
  if (windows) return windows;
  return isValidTimeZone(trimmed) ? trimmed : undefined;
}

/** The zone name to put in a dateTimeTimeZone Graph will accept. */
export function toGraphZone(iana: string): string {
  if (/^(utc|etc\/utc)$/i.test(iana)) return 'UTC';
  if (GRAPH_IANA.has(iana)) return iana;
  const windows = IANA_TO_WINDOWS[iana];
  if (windows) return windows;
  throw new Error(`time zone ${iana} has no name Graph accepts; add it to src/adapters/graph/timeZones.ts`);
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

/** A UTC instant as Graph wall-clock time in `iana` (the event's own zone, so recurrence follows local clocks). */
export function toGraphDateTime(instantUtc: string, iana: string): DateTimeTimeZone {
  const local = DateTime.fromISO(instantUtc, { zone: 'utc' }).setZone(iana);
  if (!local.isValid) throw new Error(`cannot express ${instantUtc} in ${iana}`);
  return { dateTime: local.toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: toGraphZone(iana) };
}

/** A Graph dateTimeTimeZone as a UTC ISO instant ("2026-11-23T10:00:00.000Z"). */
export function fromGraphDateTime(value: { dateTime: string; timeZone?: string | null }): string {
  const zone = toIanaZone(value.timeZone ?? 'UTC');
  if (!zone) throw new Error(`unknown time zone "${value.timeZone}" in a Graph response`);
  // Graph sends seven fractional digits and no offset: "2019-03-15T12:00:00.0000000".
  const dt = DateTime.fromISO(value.dateTime.replace(/(\.\d{3})\d+$/, '$1'), { zone, setZone: false });
  if (!dt.isValid) throw new Error(`cannot read Graph dateTime "${value.dateTime}" in ${zone}`);
  return dt.toUTC().toISO()!;
}

/** Any ISO instant with an offset (Edm.DateTimeOffset) as the app's UTC form. */
export function normaliseInstant(value: string): string {
  const dt = DateTime.fromISO(value, { zone: 'utc' });
  if (!dt.isValid) throw new Error(`cannot read instant "${value}"`);
  return dt.toUTC().toISO()!;
}
