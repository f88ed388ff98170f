/**
 * logger: one pino logger per process. One JSON line per event; pretty-printed when stdout is
 * a terminal, unless TESSERA_LOG_FORMAT=json. Level from TESSERA_LOG_LEVEL (default "info").
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** createLogger builds the process logger for one component ("scheduler", "agent", …). */
export function createLogger(component: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const requested = env.TESSERA_LOG_LEVEL ?? 'info';
  const level = (LEVELS as readonly string[]).includes(requested) ? requested : 'info';
  const format = env.TESSERA_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const base = { component };
  if (format === 'pretty') {
    return pino({
      level,
      base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level, base, timestamp: pino.stdTimeFunctions.isoTime });
}
