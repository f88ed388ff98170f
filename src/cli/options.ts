/**
 * options: flag definitions shared by several commands, so --etcd means the same everywhere.
 */
import { readFileSync, statSync } from 'node:fs';
import type { EtcdSecurity } from '../store/etcd-security.js';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { ConfigError } from '../common/errors.js';
import { LOG_FORMATS, LOG_LEVELS } from '../common/logger.js';
import { failAndExit } from './lifecycle.js';

/** splitList turns "a,b" into ["a","b"]. */
export function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** addStoreOptions adds --etcd and --etcd-prefix, and how to authenticate to etcd. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--etcd <urls>', 'etcd endpoints, comma-separated (default: none, in-memory store)').env('TESSERA_ETCD'))
    .addOption(new Option('--etcd-prefix <prefix>', 'key prefix in etcd (default: /tessera/v1/)').env('TESSERA_ETCD_PREFIX'))
    .addOption(new Option('--etcd-ca <file>', 'CA certificate of etcd\'s TLS (https:// endpoints)').env('TESSERA_ETCD_CA'))
    .addOption(new Option('--etcd-cert <file>', 'client certificate for etcd (--client-cert-auth)').env('TESSERA_ETCD_CERT'))
    .addOption(new Option('--etcd-key <file>', 'its private key').env('TESSERA_ETCD_KEY'))
    .addOption(new Option('--etcd-user <name>', 'etcd user (RBAC); the password from TESSERA_ETCD_PASSWORD or --etcd-password-file').env('TESSERA_ETCD_USER'))
    .addOption(new Option('--etcd-password-file <file>', 'file holding the etcd user\'s password').env('TESSERA_ETCD_PASSWORD_FILE'));
}

/** EtcdFlags are the flags addStoreOptions adds for etcd's security. */
export interface EtcdFlags {
  etcdCa?: string;
  etcdCert?: string;
  etcdKey?: string;
  etcdUser?: string;
  etcdPasswordFile?: string;
}

/** etcdSecurityFrom reads the etcd security flags (the password from a file or TESSERA_ETCD_PASSWORD, never argv). */
export function etcdSecurityFrom(flags: EtcdFlags, env: NodeJS.ProcessEnv = process.env): EtcdSecurity {
  let password = env.TESSERA_ETCD_PASSWORD;
  if (flags.etcdPasswordFile) {
    const exposed = exposedSecretFile(flags.etcdPasswordFile, statSync(flags.etcdPasswordFile, { throwIfNoEntry: false })?.mode);
    if (exposed) throw new ConfigError('--etcd-password-file / TESSERA_ETCD_PASSWORD_FILE', exposed);
    try {
      password = readFileSync(flags.etcdPasswordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new Error(`--etcd-password-file ${flags.etcdPasswordFile}: ${(err as Error).message}`);
    }
  }
  return {
    ...(flags.etcdCa && { caFile: flags.etcdCa }),
    ...(flags.etcdCert && { certFile: flags.etcdCert }),
    ...(flags.etcdKey && { keyFile: flags.etcdKey }),
    ...(flags.etcdUser && { username: flags.etcdUser, ...(password !== undefined && { password }) }),
  };
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

/** MAX_SECRET_FILE_BYTES: tokens and keys are under 200 characters; a larger file is the wrong file. */
const MAX_SECRET_FILE_BYTES = 4096;

/**
 * addSecretFileOption backs a secret flag (`--join-token`, `--api-key`) with a file flag
 * (`--join-token-file`), so the secret need not sit in argv (visible in `ps`) or the environment:
 * before the action runs, the file's first line becomes the secret's value. The file wins over
 * the secret's environment variable; both flags on one command line is refused, naming them.
 * `missingOk`: a file that does not exist leaves the secret unset (an agent's join token is needed
 * only until it has an identity, so a unit may keep pointing at a token file deleted after the join).
 */
export function addSecretFileOption(command: Command, secret: { key: string; flag: string }, file: { flag: string; env: string; help: string; missingOk?: boolean }): Command {
  const fileKey = file.flag.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  return command.addOption(new Option(`${file.flag} <path>`, file.help).env(file.env)).hook('preAction', async (_self, action) => {
    const path = action.getOptionValue(fileKey) as string | undefined;
    if (path === undefined) return;
    try {
      if (action.getOptionValueSource(secret.key) === 'cli') throw new ConfigError(`${secret.flag} / ${file.flag}`, 'expected one of them, not both');
      if (file.missingOk && !existsSync(path)) return;
      action.setOptionValue(secret.key, await readSecretFile(path, `${file.flag} / ${file.env}`));
    } catch (err) {
      failAndExit(err);
    }
  });
}

/**
 * exposedSecretFile says what is wrong with a secret file others may read (as ssh refuses such a
 * key: a secret others may read is no longer one, and a shard sees the host's files read-only).
 */
function exposedSecretFile(path: string, mode: number | undefined): string | undefined {
  if (mode === undefined || (mode & 0o077) === 0) return undefined;
  return `expected ${path} readable by its owner only (it is mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`;
}

/** readSecretFile reads a secret from its file: the first line, trimmed; an unreadable or empty file is a ConfigError naming the setting. */
export async function readSecretFile(path: string, setting: string): Promise<string> {
  let text: string;
  const exposed = exposedSecretFile(path, await stat(path).then((s) => s.mode, () => undefined));
  if (exposed) throw new ConfigError(setting, exposed);
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_SECRET_FILE_BYTES) throw new Error(`it is ${buffer.length} bytes; a token or key is one short line`);
    text = buffer.toString('utf8');
  } catch (err) {
    throw new ConfigError(setting, `expected a readable file holding the secret (${(err as Error).message})`);
  }
  const value = (text.split(/\r?\n/)[0] ?? '').trim();
  if (!value) throw new ConfigError(setting, `expected the secret on the first line of ${path}, found it empty`);
  return value;
}
