/** Routes the Teams SDK's logger into our structured log (at debug: the SDK is chatty). */
import type { ILogger } from '@microsoft/teams.common';
import type { Logger } from '../logging';

export function teamsLogger(log: Logger, name = 'teams'): ILogger {
  const child = log.child({ component: name });
  const fmt = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : '[object]')).join(' ');
  const logger: ILogger = {
    error: (...msg: unknown[]) => child.error(fmt(msg)),
    warn: (...msg: unknown[]) => child.warn(fmt(msg)),
    info: (...msg: unknown[]) => child.debug(fmt(msg)),
    debug: (...msg: unknown[]) => child.debug(fmt(msg)),
    log: (_level: unknown, ...msg: unknown[]) => child.debug(fmt(msg)),
    trace: (...msg: unknown[]) => child.trace(fmt(msg)),
    child: (n: string) => teamsLogger(log, `${name}/${n}`),
  } as unknown as ILogger;
  return logger;
}
