/**
 * The SharePoint lists Protected Time keeps its records in (tenant mode), all on
 * the one site granted through Sites.Selected. `pt provision` creates them;
 * `pt doctor` checks they exist. The names are the lists' URL names: every list
 * of listSchema.ts beside it (a contract test keeps the two the same).
 */
export const APP_LISTS = [
  'pt-sessions',
  'pt-records',
  'pt-actions',
  'pt-agreements',
  'pt-audit',
  'pt-relationships',
  'pt-people',
  'pt-conversations',
  'pt-outbox',
  'pt-reminders',
  'pt-series',
  'pt-record-versions',
  'pt-card-messages',
  'pt-ledger',
  'pt-leases',
  'pt-qa-grades',
  'pt-subscriptions',
  'pt-calendar-delta',
  'pt-agenda',
  'pt-private-notes',
] as const;

export type AppListName = (typeof APP_LISTS)[number];
