/** A store decorator: every write that can move a relationship's obligations wakes it on the timeline. */
import type { Relationship } from '../domain/model';
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { RecordStore } from '../ports/store';
import type { Timeline } from '../ports/timeline';

/**
 * The store, telling the timeline about every change that can move a
 * relationship's obligations: each write of a relationship, series, session,
 * record, action or agreement wakes its relationship now. A failed wake is
 * logged, not thrown: the write itself succeeded, and the relationship's own
 * next wake-up (within the timeline's horizon) judges it again.
 */
export function signalChanges<S extends RecordStore>(store: S, timeline: Timeline, clock: Clock, log: Logger): S {
  const wake = async (ids: Iterable<string>, what: string) => {
    const now = clock.now().toISOString();
    for (const id of new Set(ids)) {
      try {
        await timeline.wake(id, now, `changed: ${what}`, now);
      } catch (err) {
        log.warn({ event: 'timeline', relationshipId: id, error: err instanceof Error ? err.message : String(err) }, 'could not wake a changed relationship');
      }
    }
  };
  const signals: Record<string, (args: unknown[]) => string[]> = {
    saveRelationship: ([r]) => [(r as Relationship).id],
    saveSeries: ([s]) => [(s as { relationshipId: string }).relationshipId],
    saveSessions: ([xs]) => (xs as { relationshipId: string }[]).map((x) => x.relationshipId),
    saveRecord: ([r]) => [(r as { relationshipId: string }).relationshipId],
    saveActions: ([xs]) => (xs as { relationshipId: string }[]).map((x) => x.relationshipId),
    saveAgreement: ([a]) => [(a as { relationshipId: string }).relationshipId],
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const signal = typeof prop === 'string' ? signals[prop] : undefined;
      if (!signal) return value.bind(target);
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        await wake(signal(args), prop as string);
        return result;
      };
    },
  });
}
