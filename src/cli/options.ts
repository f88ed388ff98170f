/**
 * options: flag definitions shared by several commands, so --etcd means the same everywhere.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { splitCommas } from '../common/config.js';
import { ConfigError } from '../common/errors.js';
import { LOG_FORMATS, LOG_LEVELS } from '../common/logger.js';
import { addSettingOptions, settingName, type Setting } from '../common/settings.js';
import { ETCD_SECURITY_SETTINGS, STORE_SETTINGS } from '../common/shared-settings.js';
import type { EtcdSecurity } from '../store/etcd-security.js';
import { failAndExit } from './lifecycle.js';

/** splitList turns "a,b" into ["a","b"]; no flag, no list. */
export function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : splitCommas(value);
}

/** addStoreOptions adds --etcd and --etcd-prefix, and how to authenticate to etcd. */
export function addStoreOptions(command: Command): Command {
  return addSettingOptions(addSettingOptions(command, STORE_SETTINGS), ETCD_SECURITY_SETTINGS);
}

/** EtcdFlags are the flags of ETCD_SECURITY_SETTINGS, as commander parses them. */
export type EtcdFlags = { [K in keyof typeof ETCD_SECURITY_SETTINGS]?: string };

/** etcdSecurityFrom reads the etcd security flags (the password from a file or TESSERA_ETCD_PASSWORD, never argv). */
export function etcdSecurityFrom(flags: EtcdFlags, env: NodeJS.ProcessEnv = process.env): EtcdSecurity {
  let password = env.TESSERA_ETCD_PASSWORD;
  if (flags.etcdPasswordFile) {
    const exposed = exposedSecretFile(flags.etcdPasswordFile, statSync(flags.etcdPasswordFile, { throwIfNoEntry: false })?.mode);
    if (exposed) throw new ConfigError(settingName(ETCD_SECURITY_SETTINGS.etcdPasswordFile), exposed);
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
  const option = new Option(`${file.flag} <path>`, file.help).env(file.env);
  command.addOption(option);
  return readSecretFileFirst(command, secret, { key: option.attributeName(), flag: file.flag, name: `${file.flag} / ${file.env}`, missingOk: file.missingOk });
}

/** addSecretFileSetting does what addSecretFileOption does for a secret and its file defined in a settings table (both options already added). */
export function addSecretFileSetting(command: Command, secret: Setting<unknown>, file: Setting<unknown>, options: { missingOk?: boolean } = {}): Command {
  const key = (s: Setting<unknown>): string => new Option(s.spec.flag).attributeName();
  return readSecretFileFirst(command, { key: key(secret), flag: secret.spec.flag }, { key: key(file), flag: file.spec.flag, name: settingName(file), missingOk: options.missingOk });
}

/** readSecretFileFirst sets the secret from its file before the action runs; `key`s are commander's attribute names, `name` the file setting's for errors. */
function readSecretFileFirst(command: Command, secret: { key: string; flag: string }, file: { key: string; flag: string; name: string; missingOk: boolean | undefined }): Command {
  return command.hook('preAction', async (_self, action) => {
    const path = action.getOptionValue(file.key) as string | undefined;
    if (path === undefined) return;
    try {
      if (action.getOptionValueSource(secret.key) === 'cli') throw new ConfigError(`${secret.flag} / ${file.flag}`, 'expected one of them, not both');
      if (file.missingOk && !existsSync(path)) return;
      action.setOptionValue(secret.key, await readSecretFile(path, file.name));
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
