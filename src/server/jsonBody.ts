/**
 * JSON bodies and how their failures are answered. Every JSON parser in the
 * server refuses prototype keys (a body naming __proto__, constructor or
 * prototype is never meant for us and is how prototype pollution starts), and
 * every body-parser failure becomes a 4xx JSON error that says what was wrong.
 */
import express, { type RequestHandler } from 'express';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class ForbiddenKeyError extends SyntaxError {
  constructor(key: string) {
    super(`the key "${key}" is not allowed`);
    this.name = 'ForbiddenKeyError';
  }
}

/** JSON.parse reviver: throws on a prototype key anywhere in the document. */
export function safeJsonReviver(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
  return value;
}

/** express.json with a size limit and the prototype-key check. */
export function jsonBody(limit: string): RequestHandler {
  return express.json({ limit, strict: true, reviver: safeJsonReviver });
}

/**
 * What a body-parser (or router) error means to the caller: status and message,
 * or undefined when it is not one of theirs.
 */
export function describeRequestError(err: unknown): { status: number; error: string } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; name?: unknown };
  if (e.name === 'ForbiddenKeyError' || (e.type === 'entity.parse.failed' && typeof e.message === 'string' && /is not allowed/.test(e.message))) {
    return { status: 400, error: `Body refused: ${String(e.message)}` };
  }
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, error: 'Body is not valid JSON' };
    case 'entity.too.large':
      return { status: 413, error: 'Body is too large' };
    case 'encoding.unsupported':
      return { status: 415, error: 'Unsupported Content-Encoding' };
    case 'charset.unsupported':
      return { status: 415, error: 'Unsupported charset' };
    case 'request.size.invalid':
    case 'request.aborted':
      return { status: 400, error: 'The body did not arrive whole' };
    case 'stream.encoding.set':
      return { status: 500, error: 'Something went wrong' };
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  // Other client errors raised by express, its router or body-parser (a bad %-escape in a path is a 400 URIError; a corrupt gzip body a 400).
  if (status !== undefined && status >= 400 && status < 500) {
    if (e.name === 'URIError') return { status: 400, error: 'The path is not valid percent-encoding' };
    return { status, error: e.expose === true && typeof e.message === 'string' ? e.message.slice(0, 200) : 'Bad request' };
  }
  return undefined;
}
