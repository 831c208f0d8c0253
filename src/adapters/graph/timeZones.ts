/**
 * Time zones between the app (IANA names, UTC instants) and Graph
 * (dateTimeTimeZone: wall-clock time plus a Windows or IANA zone name).
 *
 * Windows ↔ IANA comes from windows-iana (CLDR's windowsZones.xml): a Windows
 * zone maps to CLDR's default IANA zone for it (territory "001"), an IANA zone
 * (or an alias of one) to its Windows zone. A Windows name CLDR lacks maps to
 * undefined and the caller decides (mailbox working hours are then treated as
 * unknown; event times fall back to UTC).
 *
 * IANA → Graph: resources/datetimetimezone.md lists the IANA names Graph
 * accepts besides every Windows name; other IANA zones are sent by their
 * Windows name.
 */
import { DateTime } from 'luxon';
import { findIana, findWindows } from 'windows-iana';
import { isValidTimeZone } from '../../domain/time/zones';

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

/** The IANA zone for a Graph zone name (Windows or IANA), or undefined when we cannot tell. */
export function toIanaZone(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const trimmed = name.trim();
  if (/^(utc|etc\/utc|etc\/gmt|gmt|coordinated universal time)$/i.test(trimmed)) return 'UTC';
  const iana = findIana(trimmed)[0];
  if (iana) return iana;
  return isValidTimeZone(trimmed) ? trimmed : undefined;
}

/** The zone name to put in a dateTimeTimeZone Graph will accept. */
export function toGraphZone(iana: string): string {
  if (/^(utc|etc\/utc)$/i.test(iana)) return 'UTC';
  if (GRAPH_IANA.has(iana)) return iana;
  const windows = findWindows(iana)[0];
  if (windows) return windows;
  throw new Error(`time zone ${iana} has no name Graph accepts (CLDR maps it to no Windows zone)`);
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
