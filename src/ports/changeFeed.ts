/**
 * Change detection, as the reconcile job sees it: which people's calendars
 * changed since it last asked. Local mode reads the embedded calendar's change
 * table (src/adapters/embedded/changeFeed.ts); tenant mode reads Graph change
 * notifications and calendarView delta queries (src/adapters/graph/graphChangeFeed.ts).
 *
 * The answer is a hint, not the truth: the reconciler is level-triggered and
 * reads the calendar itself, so a person reported twice costs a read and a
 * person missed is caught by the periodic full sweep.
 */
export interface CalendarChangeFeed {
  /**
   * People whose calendars changed since the last call, each once. The cursor
   * behind it is durable (it survives a restart). Implementations that can
   * treat the next call as the acknowledgement of this one's answer (so a crash
   * before the changed people were reconciled reports them again) say so.
   */
  changedPeople(now: string): Promise<string[]>;
  /**
   * Some of the last answer's people could not be reconciled (another instance held the
   * relationship's lease, perhaps one that died): report them again next call, instead of taking
   * the next call as the acknowledgement of them. Feeds without acknowledgement need not have it.
   */
  notDone?(personIds: string[]): void;
}
