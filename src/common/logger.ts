/**
 * logger: one pino logger per process, one JSON line per event. Where the lines go and how they
 * look is set by three environment variables (the CLI's --log-format, --log-level and --log-file
 * set them, so child processes such as `tessera dev`'s agents inherit the choice):
 *
 *   TESSERA_LOG_FORMAT  auto (default): pretty when the stream is a terminal, JSON otherwise;
 *                       json; pretty
 *   TESSERA_LOG_LEVEL   fatal | error | warn | info (default) | debug | trace | silent
 *   TESSERA_LOG_FILE    append JSON lines to this file instead of stdout/stderr
 */
import { destination, pino, stdTimeFunctions, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** LOG_LEVELS are pino's levels; anything else falls back to info. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** LOG_FORMATS are the values of TESSERA_LOG_FORMAT / --log-format. */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LogTarget: where a logger writes and in which format, resolved from the environment. */
export interface LogTarget {
  format: 'json' | 'pretty';
  /** A file path, or the stream's file descriptor (1 stdout, 2 stderr). */
  to: string | 1 | 2;
}

/** logTarget resolves TESSERA_LOG_FORMAT and TESSERA_LOG_FILE for a logger writing to stdout or stderr. */
export function logTarget(env: NodeJS.ProcessEnv = process.env, toStderr = false): LogTarget {
  const file = env.TESSERA_LOG_FILE;
  if (file) return { format: env.TESSERA_LOG_FORMAT === 'pretty' ? 'pretty' : 'json', to: file };
  const stream = toStderr ? process.stderr : process.stdout;
  const requested = env.TESSERA_LOG_FORMAT ?? 'auto';
  const format = requested === 'json' || requested === 'pretty' ? requested : stream.isTTY ? 'pretty' : 'json';
  return { format, to: toStderr ? 2 : 1 };
}

/**
 * createLogger builds the process logger for one component ("scheduler", "agent", …). Commands
 * whose stdout is their result (a token, a table) log to stderr with `toStderr`. Writes are
 * synchronous (pino-pretty runs in this thread, not a transport worker), so a line logged just
 * before exit is never lost and never lands in the middle of another program's output.
 */
export function createLogger(component: string, env: NodeJS.ProcessEnv = process.env, toStderr = false): Logger {
  const requested = env.TESSERA_LOG_LEVEL ?? 'info';
  const level = (LOG_LEVELS as readonly string[]).includes(requested) ? requested : 'info';
  const target = logTarget(env, toStderr);
  const base = { component };
  const dest = typeof target.to === 'string' ? destination({ dest: target.to, append: true, mkdir: true, sync: true }) : destination({ fd: target.to, sync: true });
  if (target.format === 'pretty') {
    const colorize = typeof target.to !== 'string' && (target.to === 2 ? process.stderr : process.stdout).isTTY === true;
    return pino({ level, base }, pretty({ colorize, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', destination: dest, sync: true }));
  }
  return pino({ level, base, timestamp: stdTimeFunctions.isoTime }, dest);
}
