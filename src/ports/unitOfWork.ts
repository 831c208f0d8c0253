/**
 * Several writes as one: all or none. The embedded engine (SQLite) runs them
 * in one transaction, which is also what makes a wake-up cycle over hundreds
 * of relationships fast (one commit, not thousands). Remote engines have no
 * such thing across services; there each write stands on its own and the
 * work is made safe to repeat instead (claims, leases, level-triggered jobs).
 */
export interface UnitOfWork {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** For engines without transactions: just runs it. */
export const eachWriteOnItsOwn: UnitOfWork = { run: (fn) => fn() };
