/**
 * logger: one pino logger per process. One JSON line per event; pretty-printed when stdout is
 * a terminal, unless TESSERA_LOG_FORMAT=json. Level from TESSERA_LOG_LEVEL (default "info").
 */
import { destination, pino, stdTimeFunctions, type Logger } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * createLogger builds the process logger for one component ("scheduler", "agent", …). Commands
 * whose stdout is their result (a token, a table) log to stderr with `toStderr`.
 */
export function createLogger(component: string, env: NodeJS.ProcessEnv = process.env, toStderr = false): Logger {
  const requested = env.TESSERA_LOG_LEVEL ?? 'info';
  const level = (LEVELS as readonly string[]).includes(requested) ? requested : 'info';
  const stream = toStderr ? process.stderr : process.stdout;
  const format = env.TESSERA_LOG_FORMAT ?? (stream.isTTY ? 'pretty' : 'json');
  const base = { component };
  if (format === 'pretty') {
    return pino({
      level,
      base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', destination: toStderr ? 2 : 1 } },
    });
  }
  return pino({ level, base, timestamp: stdTimeFunctions.isoTime }, destination({ fd: toStderr ? 2 : 1, sync: true }));
}
