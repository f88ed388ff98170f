/**
 * lifecycle: how every long-running command starts and stops — a clear message for bad
 * settings, graceful shutdown on SIGINT/SIGTERM, and a non-zero exit on failure.
 */
import { ConfigError, TesseraError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';

/** Stoppable is anything a command must stop on a signal. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** SHUTDOWN_GRACE_MS: after this, a second signal or the timer exits without waiting. */
const SHUTDOWN_GRACE_MS = 10_000;

/** untilSignal resolves when the process gets SIGINT or SIGTERM, then stops `parts` in reverse order. */
export async function untilSignal(logger: Logger, parts: Stoppable[]): Promise<void> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.warn('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  for (const part of [...parts].reverse()) {
    try {
      await part.stop();
    } catch (err) {
      logger.warn({ err }, 'error while stopping');
    }
  }
  clearTimeout(force);
}

/** failAndExit prints a setting or domain error as one line for a human and exits 2 (usage) or 1. */
export function failAndExit(err: unknown, logger?: Logger): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`tessera: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof TesseraError) {
    process.stderr.write(`tessera: ${err.message}\n`);
    process.exit(1);
  }
  if (logger) logger.fatal({ err }, 'fatal error');
  else process.stderr.write(`tessera: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
