/**
 * options: flag definitions shared by several commands, so --etcd means the same everywhere.
 */
import { Option, type Command } from 'commander';
import { LOG_FORMATS, LOG_LEVELS } from '../common/logger.js';

/** splitList turns "a,b" into ["a","b"]. */
export function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** addStoreOptions adds --etcd and --etcd-prefix. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--etcd <urls>', 'etcd endpoints, comma-separated (default: none, in-memory store)').env('TESSERA_ETCD'))
    .addOption(new Option('--etcd-prefix <prefix>', 'key prefix in etcd (default: /tessera/v1/)').env('TESSERA_ETCD_PREFIX'));
}

/** toInt reads an integer flag; commander passes strings, zod then checks the range. */
export function toInt(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}

/** LogFlags are the flags addLogOptions adds. */
export interface LogFlags {
  logFormat?: string;
  logLevel?: string;
  logFile?: string;
}

/**
 * addLogOptions adds --log-format, --log-level and --log-file to a long-running command. They set
 * TESSERA_LOG_* (see common/logger.ts) before the command builds its logger, so the processes it
 * starts log the same way.
 */
export function addLogOptions(command: Command): Command {
  return command
    .addOption(new Option('--log-format <format>', 'auto: pretty on a terminal, JSON lines otherwise').choices(LOG_FORMATS).env('TESSERA_LOG_FORMAT'))
    .addOption(new Option('--log-level <level>', 'least severe level logged (default: info)').choices(LOG_LEVELS).env('TESSERA_LOG_LEVEL'))
    .addOption(new Option('--log-file <path>', 'append JSON log lines to this file instead of the terminal').env('TESSERA_LOG_FILE'));
}

/** applyLogOptions exports the log flags to the environment read by createLogger and inherited by children. */
export function applyLogOptions(flags: LogFlags, env: NodeJS.ProcessEnv = process.env): void {
  if (flags.logFormat) env.TESSERA_LOG_FORMAT = flags.logFormat;
  if (flags.logLevel) env.TESSERA_LOG_LEVEL = flags.logLevel;
  if (flags.logFile) env.TESSERA_LOG_FILE = flags.logFile;
}
