/**
 * An obligation in plain words for one reader: who it concerns and what it is
 * ("Write the record of your session with Sam Patel on Wed 9 Dec"), never an
 * ISO date or duration. The digest card and the to-do view both use this, so
 * they say the same thing.
 */
import type { Obligation } from '../domain/due/dueEngine';
import { FALLBACK_ZONE } from '../domain/time/zones';
import type { Relationship } from '../domain/model';
import { dayWords, everyWords, plainSentence } from '../domain/text/plainWords';

export interface ObligationContext {
  rel: Relationship;
  /** Display names by person id (parties at least). */
  names: Map<string, string>;
  /** The person reading. */
  viewerId: string;
  /** For action-due: the action's text. */
  actionText?: string;
  /** For record/countersign/rebook items: the session's start. */
  sessionStart?: string;
  zone?: string;
}

export interface ObligationWords {
  /** One line naming the person and the thing. */
  title: string;
  /** The people the item is about (other than the reader). */
  about: string[];
  /** The rule and dates behind it, in words. */
  detail: string;
  /** "Wed 9 Dec". */
  dueWords: string;
}

const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** The explanation from the due engine, with its ISO dates and durations in words. */
export function plainExplanation(text: string, zone = FALLBACK_ZONE): string {
  return plainSentence(
    text
      .replace(/interval is (P[0-9A-Z]+)/g, (_m, d: string) => `asks for supervision ${everyWords(d)}`)
      .replace(/\(every (P[0-9A-Z]+)\)/g, (_m, d: string) => `(${everyWords(d)})`),
    zone,
  );
}

export function describeObligation(o: Obligation, c: ObligationContext): ObligationWords {
  const zone = c.zone ?? FALLBACK_ZONE;
  const name = (id: string) => c.names.get(id) ?? 'a colleague';
  const parties = [c.rel.supervisorId, ...c.rel.superviseeIds];
  const inIt = parties.includes(c.viewerId);
  const others = parties.filter((id) => id !== c.viewerId).map(name);
  const supervisees = list(c.rel.superviseeIds.map(name));
  // A party reads "with Sam Patel"; someone told because it slipped reads "Sam Patel and Daniel Okafor".
  const withWho = inIt ? `with ${list(others)}` : `of ${supervisees} with ${name(c.rel.supervisorId)}`;
  const about = inIt ? others : parties.map(name);
  const owes = o.owedBy.includes(c.viewerId);
  const day = c.sessionStart ? dayWords(c.sessionStart, zone) : undefined;
  const due = dayWords(o.dueAt, zone);
  const owedByWords = list(o.owedBy.filter((id) => id !== c.viewerId).map(name));
  let title: string;
  switch (o.kind) {
    case 'record-due':
      title = owes ? `Write the record of your session ${withWho}${day ? ` on ${day}` : ''}` : `Record of the session ${withWho}${day ? ` on ${day}` : ''} (${owedByWords} to write)`;
      break;
    case 'countersign-due':
      title = owes ? `Countersign the record of your session ${withWho}${day ? ` on ${day}` : ''}` : `Record of the session ${withWho}${day ? ` on ${day}` : ''} awaits countersignature by ${owedByWords}`;
      break;
    case 'action-due': {
      const what = c.actionText ? `“${c.actionText}”` : 'An agreed action';
      title = owes ? `${what}, agreed in supervision ${withWho}` : `${what}, owed by ${owedByWords} (supervision ${withWho})`;
      break;
    }
    case 'agreement-missing':
      title = owes ? `Sign a supervision agreement ${withWho}` : `No signed supervision agreement for the supervision ${withWho}`;
      break;
    case 'agreement-review':
      title = owes ? `Review the supervision agreement ${withWho}` : `Supervision agreement review for the supervision ${withWho}`;
      break;
    case 'rebook-needed':
      title = `${owes ? 'Rebook' : 'To rebook:'} the cancelled session ${withWho}${day ? ` (was ${day})` : ''}`;
      break;
    case 'supervision-due':
      title = `${owes ? 'Book supervision' : 'Supervision due'} ${withWho} by ${due}`;
      break;
    case 'hard-maximum':
      title = `Longest allowed gap: supervision ${withWho} must be held by ${due}`;
      break;
    case 'rolling-minimum':
      title = `Too few sessions in the rolling window: supervision ${withWho}`;
      break;
    case 'per-term':
      title = `Supervision this term ${withWho}`;
      break;
    case 'external-visits':
      title = `External supervision visits for ${supervisees}`;
      break;
    case 'action-drift':
      title = `An action from supervision ${withWho} has been carried forward too many times`;
      break;
    case 'agreement-check':
      title = `Check the supervision agreement at the next session ${withWho}`;
      break;
  }
  return { title, about, detail: plainExplanation(o.explanation, zone), dueWords: due };
}
