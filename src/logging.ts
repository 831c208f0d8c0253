/**
 * Structured JSON logs (pino). Log ids and counts, never free text a user typed:
 * card submissions, record fields and names are redacted by path as a backstop.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'record', 'fields', 'values', 'body', 'text', 'card', 'comment', 'reason', 'subject',
  '*.record', '*.fields', '*.values', '*.text', '*.comment', '*.reason', '*.subject',
  'headers.authorization', 'req.headers.authorization', 'token', '*.token', 'clientSecret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'protected-time' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
