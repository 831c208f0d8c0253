/**
 * Serialises work per key inside this process (e.g. one booking at a time per
 * relationship), so a double submit is answered from the first one's result.
 * Across instances a work-queue lease per key does the same (leaseGuard.ts),
 * and the store's own uniqueness (request keys, transaction ids) makes a repeat harmless.
 */
export class KeyedMutex {
  private tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(fn);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
