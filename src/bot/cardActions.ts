/**
 * Universal Actions (Action.Execute) arrive here. The verb picks the handler;
 * the caller is whoever Teams says sent the invoke (validated by the Teams SDK
 * in a tenant), never anything inside the card's data. Handlers answer with the
 * card that replaces the one clicked, so errors appear inside the card.
 */
import { z } from 'zod';
import type { Person } from '../domain/model';
import type { ActionItemsDeps } from '../usecases/actionItems';
import type { RebookingDeps } from '../usecases/rebooking';
import type { RecordsDeps } from '../usecases/records';
import type { RemindersDeps } from '../usecases/reminders';
import { AppError } from '../usecases/errors';
import type { NotifyContext } from '../usecases/rebooking';
import { card, para, type Card } from './cards/common';

/** The ports of the use cases card actions call (digest snoozes, rebook choices, record verbs). */
export type CardActionDeps = RemindersDeps & RebookingDeps & RecordsDeps & ActionItemsDeps;

export interface ActionContext {
  services: CardActionDeps;
  notify: NotifyContext;
  actor: Person;
  /** Card data merged with the card's inputs (Teams sends them together). */
  data: Record<string, unknown>;
}

export type ActionHandler = (ctx: ActionContext) => Promise<Card>;

export const ADAPTIVE_CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

export function errorCard(message: string): Card {
  return card([para(message, { color: 'Attention', weight: 'Bolder' })]);
}

export class CardActionRouter {
  private handlers = new Map<string, ActionHandler>();

  on(verb: string, handler: ActionHandler): this {
    this.handlers.set(verb, handler);
    return this;
  }

  verbs(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Runs the handler for `verb`; every failure becomes a message the user can read.
   * A failure also carries `keepCard`: the bot answers with an error response
   * instead of a new card, so Teams keeps the clicked card, its inputs and its
   * buttons, and shows the message beneath it (the person can fix and retry).
   */
  async dispatch(verb: string, base: Omit<ActionContext, 'data'>, data: unknown): Promise<{ card: Card; ok: boolean; keepCard?: { status: number; message: string } }> {
    const handler = this.handlers.get(verb);
    if (!handler) return { card: errorCard('This button is no longer supported. Open Protected Time to continue.'), ok: false };
    const parsed = z.record(z.string(), z.unknown()).safeParse(data ?? {});
    if (!parsed.success) return { card: errorCard('That card sent something I could not read.'), ok: false };
    try {
      return { card: await handler({ ...base, data: parsed.data }), ok: true };
    } catch (err) {
      if (err instanceof AppError) return { card: errorCard(err.message), ok: false, keepCard: { status: err.status, message: err.message } };
      if (err instanceof z.ZodError) {
        const message = `Some of that was not valid (${err.issues.map((i) => i.path.join('.') || 'input').join(', ')}): please check and try again.`;
        return { card: errorCard(message), ok: false, keepCard: { status: 400, message } };
      }
      base.services.log.error({ event: 'card-action.failed', verb, err: err instanceof Error ? err.message : String(err) }, 'card action failed');
      // An unexpected failure may come after a change was saved: say only what is known.
      const message = 'Something went wrong. Open Protected Time to see whether your change was saved before you try again.';
      return { card: errorCard(message), ok: false, keepCard: { status: 500, message } };
    }
  }
}
