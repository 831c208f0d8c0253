/**
 * The SharePoint lists Protected Time keeps its records in (tenant mode), all on
 * the one site granted through Sites.Selected. `pt provision` creates them;
 * `pt doctor` checks they exist. The names are the lists' URL names.
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
] as const;

export type AppListName = (typeof APP_LISTS)[number];
