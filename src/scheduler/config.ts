/**
 * config: the scheduler's compiled configuration — its settings table (settings.ts), the tuning
 * only code and tests set, and the rules that tie settings together.
 */
import { z } from 'zod';
import { durationMs, parseConfig } from '../common/config.js';
import { settingNames, settingsSchema } from '../common/settings.js';
import { SCHEDULER_SETTINGS } from './settings.js';

/** schedulerConfigSchema compiles the scheduler's settings into the config it runs with. */
export const schedulerConfigSchema = settingsSchema(SCHEDULER_SETTINGS)
  .extend({
    /** How long a new Connect stream has to send its Hello. */
    helloTimeoutMs: durationMs.default('10s'),
    /** Freivalds rounds per tile: a wrong tile row passes each with probability ≤ 2^-20, so 2 rounds bound it by 2^-40. */
    freivaldsRounds: z.number().int().min(1).max(16).default(2),
    /** Tiles the agent must reveal per device: an answer with a fraction f of honest tiles passes with probability ≤ f^tiles. */
    revealTiles: z.number().int().min(1).max(64).default(8),
    /** How long a CPU-only worker may take for its small challenge (it proves the answer, not the speed). */
    cpuChallengeDeadlineMs: durationMs.default('10s'),
    /** RTT assumed for a worker before the scheduler has measured one. */
    challengeDefaultRttMs: durationMs.default('100ms'),
  })
  .refine((c) => c.tlsDir !== undefined || c.insecure, {
    message: 'expected a TLS directory (`tessera certs init --dir DIR --hosts NAMES`), or --insecure to serve plaintext',
    path: ['tlsDir'],
  })
  .refine((c) => c.maxAttemptOutputBytes <= c.maxJobOutputBytes, {
    message: 'expected the per-attempt output cap ≤ the per-job cap',
    path: ['maxAttemptOutputBytes'],
  })
  .refine((c) => c.heartbeatIntervalMs * 3 <= c.leaseTtlMs, {
    message: 'expected heartbeat interval × 3 ≤ lease TTL, so one lost beat does not take a worker offline',
    path: ['heartbeatIntervalMs'],
  });

/** SchedulerConfig is the compiled configuration. */
export type SchedulerConfig = z.output<typeof schedulerConfigSchema>;

/** parseSchedulerConfig validates raw settings (flags and env already merged); an error names the flag. */
export function parseSchedulerConfig(raw: unknown): SchedulerConfig {
  return parseConfig(schedulerConfigSchema, raw, settingNames(SCHEDULER_SETTINGS));
}
