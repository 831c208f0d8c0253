/**
 * The SharePoint lists `pt doctor` checks for. They are named beside the list
 * schemas, in the SharePoint adapter (setup reads them from there; the adapter
 * knows nothing of setup).
 */
export { APP_LISTS, type AppListName } from '../adapters/sharepoint/appLists';
