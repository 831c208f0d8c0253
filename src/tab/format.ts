/** Dates shown in UK style in Europe/London, whatever the browser's own zone. */
const ZONE = 'Europe/London';

const dayFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: ZONE });
const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: ZONE });

export function formatDay(iso: string): string {
  return dayFmt.format(new Date(iso));
}

export function formatTimeRange(start: string, end: string): string {
  return `${timeFmt.format(new Date(start))}–${timeFmt.format(new Date(end))}`;
}

export const ROLE_LABELS: Record<string, string> = {
  practitioner: 'Practitioner',
  supervisor: 'Supervisor',
  'line-manager': 'Line manager',
  'safeguarding-lead': 'Safeguarding lead',
  auditor: 'Auditor',
};
