/**
 * Downloads a file from /api/v1 with the caller's identity (a plain link would
 * be anonymous), then saves it from a Blob under the server's file name.
 */
import { ApiError, localUser } from './api';
import { getAccessToken } from './auth';

export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const headers = new Headers();
  const token = await getAccessToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  else {
    const user = localUser();
    if (user) headers.set('x-pt-local-user', user);
  }
  const res = await fetch(`/api/v1${path}`, { headers });
  if (!res.ok) {
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
    throw new ApiError(res.status, body?.error ?? `Download failed (${res.status})`, body?.details);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
