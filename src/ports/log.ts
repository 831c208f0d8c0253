/**
 * Structured logging as use cases see it: an object of ids and counts, and a
 * short message. Never text a person typed (src/logging.ts redacts as a backstop).
 * The app's pino logger fits this shape.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
}

export interface Log {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
