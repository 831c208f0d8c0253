/**
 * The tab's page lives in the URL fragment ("#/records/rec-1"), so a card's link
 * opens the right page and a reload keeps it. Hash routing works the same in
 * Teams, Outlook, the Microsoft 365 app and a plain browser (no server routes).
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** First path segment: "todo", "records", "sessions"... */
  page: string;
  /** The remaining path segments, decoded. */
  rest: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', q = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { page: parts[0] ?? 'todo', rest: parts.slice(1), query: new URLSearchParams(q) };
}

export function href(path: string, query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v) q.set(k, v);
  const qs = q.toString();
  return `#${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, query?: Record<string, string | undefined>, replace = false): void {
  const next = href(path, query);
  if (replace) window.history.replaceState(null, '', next);
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = next;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
