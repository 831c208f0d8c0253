/** The tab's client for /api/v1: adds the caller's identity and turns errors into messages. */
import { SignInError, clearAccessToken, getAccessToken } from './auth';

export const LOCAL_USER_KEY = 'pt.localUser';
const LOCAL_USER_HEADER = 'x-pt-local-user';

/** One field's reason, as the server gives it (field path, rule, message). */
export interface FieldProblem {
  field: string;
  rule?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly details?: unknown, readonly fields: FieldProblem[] = []) {
    super(message);
  }
}

/** The server's reasons by field (first per field), for showing next to each input. */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const f of e.fields) if (f.field && !out[f.field]) out[f.field] = f.message;
  return out;
}

export function localUser(): string | null {
  return window.localStorage.getItem(LOCAL_USER_KEY);
}

export function setLocalUser(id: string | null): void {
  if (id) window.localStorage.setItem(LOCAL_USER_KEY, id);
  else window.localStorage.removeItem(LOCAL_USER_KEY);
}

/**
 * Calls /api/v1. In a tenant the request carries the user's Entra token
 * (src/tab/auth.ts); locally, the person chosen in the "sign in as" picker.
 */
export async function api<T>(path: string, init: RequestInit = {}, retried = false): Promise<T> {
  const headers = new Headers(init.headers);
  let token: string | undefined;
  try {
    token = await getAccessToken();
  } catch (err) {
    if (err instanceof SignInError) throw new ApiError(401, err.message);
    throw new ApiError(503, 'Protected Time is not reachable just now: try again in a moment.');
  }
  if (token) headers.set('authorization', `Bearer ${token}`);
  else {
    const user = localUser();
    if (user) headers.set(LOCAL_USER_HEADER, user);
  }
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(`/api/v1${path}`, { ...init, headers });
  if (res.status === 401 && token && !retried) {
    // The token expired or was revoked between caching and use: get a fresh one, once.
    clearAccessToken();
    return api<T>(path, init, true);
  }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `Request failed (${res.status})`, body?.details, body?.fields ?? body?.details?.fields ?? []);
  return body as T;
}

export interface Me {
  person: { id: string; displayName: string; jobTitle: string; team: string; roles: string[] };
  lineManager: string | null;
  relationships: { id: string; kind: string; viewpoint: string; supervisor: string; supervisees: string[]; policy: string; staffGroup: string }[];
  upcoming: { id: string; start: string; end: string; kind: string; with: string[]; viewpoint: string; relationshipId: string; /** The session's pack's zone. */ timeZone: string }[];
  /** The viewer's own pack's zone (this month, today). */
  timeZone: string;
}

export interface SignInOption {
  id: string;
  displayName: string;
  jobTitle: string;
  roles: string[];
}
