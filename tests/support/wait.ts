/**
 * Waiting for state, never for time: polls `fn` until it returns something
 * other than undefined (or the deadline passes, naming what never happened).
 * A busy machine makes things slower, not different, so tests stay correct.
 */
export async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
