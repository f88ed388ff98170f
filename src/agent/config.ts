/**
 * config: the agent's compiled configuration — its settings table (settings.ts), the defaults
 * that depend on other settings, and the rules that tie settings together.
 */
import { createHash } from 'node:crypto';
import { tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { parseConfig } from '../common/config.js';
import { settingNames, settingsSchema } from '../common/settings.js';
import { AGENT_SETTINGS } from './settings.js';

/** agentConfigSchema compiles the agent's settings into the config it runs with (shard root and uid pool resolved). */
export const agentConfigSchema = settingsSchema(AGENT_SETTINGS)
  .refine((c) => c.backoffInitialMs <= c.backoffMaxMs, { message: 'expected backoff initial ≤ backoff max', path: ['backoffInitialMs'] })
  .transform((c) => {
    const shardRoot = resolve(c.shardRoot ?? defaultShardRoot(c.stateDir));
    return { ...c, stateDir: resolve(c.stateDir), shardRoot, sandboxUidBase: c.sandboxUidBase ?? defaultUidBase(shardRoot) };
  })
  .refine((c) => !isWithin(c.shardRoot, c.stateDir), { message: 'expected a shard root outside the state directory (shards must not reach the identity)', path: ['shardRoot'] });

/** SANDBOX_UIDS: how many uids the sandbox pool holds (shards at once on one worker). */
export const SANDBOX_UIDS = 1000;

/** defaultShardRoot is one directory per agent state (several agents may share a machine). */
export function defaultShardRoot(stateDir: string): string {
  const id = createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12);
  return process.getuid?.() === 0 ? `/var/lib/tessera/shards/${id}` : join(tmpdir(), `tessera-shards-${id}`);
}

/**
 * defaultUidBase spreads agents over 1,000 pools of 1,000 uids (200000–1199999) by their shard
 * root, so two agents on one machine almost never share a uid (set --sandbox-uid-base to be sure).
 */
export function defaultUidBase(shardRoot: string): number {
  return 200_000 + (createHash('sha256').update(shardRoot).digest().readUInt32BE(0) % 1000) * SANDBOX_UIDS;
}

/** defaultShardMemoryMib: a shard that asked for no memory may use 90 % of the machine's. */
export function defaultShardMemoryMib(): number {
  return Math.floor((totalmem() / 1024 / 1024) * 0.9);
}

function isWithin(path: string, dir: string): boolean {
  const p = resolve(path);
  const d = resolve(dir);
  return p === d || p.startsWith(d + '/');
}

/** AgentConfig is the compiled configuration. */
export type AgentConfig = z.output<typeof agentConfigSchema>;

/** parseAgentConfig validates raw settings (flags and env already merged); an error names the flag. */
export function parseAgentConfig(raw: unknown): AgentConfig {
  return parseConfig(agentConfigSchema, raw, settingNames(AGENT_SETTINGS));
}
