/**
 * Errors the Graph adapters throw. Each names the call ("createEvent",
 * "getSchedule") so a failure in a log says what the app was doing, and says
 * whether Graph may have acted anyway (`ambiguous`): callers that create
 * things must look before they retry.
 */

export class GraphError extends Error {
  override readonly name: string = 'GraphError';
  constructor(
    readonly call: string,
    /** HTTP status, or 0 when no response arrived (timeout, network). */
    readonly status: number,
    /** Graph's error.code ("ErrorItemNotFound", "Request_ResourceNotFound"), when it sent one. */
    readonly code: string | undefined,
    message: string,
    readonly options: { requestId?: string; retryAfterMs?: number; ambiguous?: boolean } = {},
  ) {
    super(`Graph ${call} failed${status ? ` (${status}${code ? ` ${code}` : ''})` : ''}: ${message}`);
  }

  /** True when the request may have been carried out even though it failed (5xx, timeout, lost connection). */
  get ambiguous(): boolean {
    return this.options.ambiguous ?? (this.status === 0 || this.status >= 500);
  }

  /**
   * A delta token Graph no longer knows: 410 Gone (delta-query-overview.md), or 400/404 with
   * syncStateNotFound / SyncStateInvalid, as Outlook answers for calendarView/delta tokens that
   * expired or were evicted (event-delta.md: "the token has expired ... restart with a new delta query").
   */
  get deltaTokenExpired(): boolean {
    if (this.status === 410) return true;
    return (this.status === 400 || this.status === 404) && /^(syncStateNotFound|syncStateInvalid|resyncRequired)$/i.test(this.code ?? '');
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

/** No response within the time limit: Graph may still have done the work. */
export class GraphTimeoutError extends GraphError {
  override readonly name = 'GraphTimeoutError';
  constructor(call: string, timeoutMs: number) {
    super(call, 0, undefined, `no response within ${timeoutMs} ms`, { ambiguous: true });
  }
}

/**
 * A response that does not have a field the adapter reads, or has it with the
 * wrong type. Thrown instead of guessing: it means Graph (or our reading of the
 * docs) changed, and someone needs to look.
 */
export class GraphContractError extends Error {
  override readonly name = 'GraphContractError';
  constructor(
    readonly call: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Graph ${call} response does not match what the adapter reads: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
  }
}

/** Graph answered for a schedule with an error instead of free/busy: unknown is not free. */
export class GraphScheduleError extends Error {
  override readonly name = 'GraphScheduleError';
  constructor(readonly failures: { personId: string; message: string }[]) {
    super(`Graph getSchedule could not read availability for ${failures.map((f) => `${f.personId} (${f.message})`).join(', ')}`);
  }
}
