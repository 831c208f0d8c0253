/**
 * Deep links into the tab: cards open the page about their subject, not the
 * home page. The tab keeps its page in the URL's fragment ("#/records/rec-…"),
 * so the same link works in Teams, Outlook, a browser and after a reload.
 */
export const tabLink = (tabUrl: string, route: string): string => `${tabUrl.replace(/#.*$/, '')}#${route.startsWith('/') ? route : `/${route}`}`;

export const TAB_ROUTES = {
  todo: () => '/todo',
  record: (id: string) => `/records/${encodeURIComponent(id)}`,
  session: (id: string) => `/sessions/${encodeURIComponent(id)}`,
  agenda: (sessionId: string) => `/agenda/${encodeURIComponent(sessionId)}`,
  sessionsOf: (relationshipId: string) => `/sessions?rel=${encodeURIComponent(relationshipId)}`,
} as const;
