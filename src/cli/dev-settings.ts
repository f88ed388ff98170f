/**
 * dev-settings: the settings of `tessera dev`. Those it shares with the scheduler and gateway are
 * derived from their tables, renamed where one command runs both (`--scheduler-listen`).
 */
import type { z } from 'zod';
import { parseConfig } from '../common/config.js';
import { choice, derive, integer, setting, settingNames, settingsSchema, toggle } from '../common/settings.js';
import { STORE_SETTINGS } from '../common/shared-settings.js';
import { GATEWAY_SETTINGS } from '../gateway/settings.js';
import { SCHEDULER_SETTINGS } from '../scheduler/settings.js';

/** DEV_SETTINGS: the dev fleet's table; it listens on loopback, and its port 0 picks a free port. */
export const DEV_SETTINGS = {
  agents: setting(integer({ min: 0, max: 64 }), { flag: '--agents', default: 3, help: 'local agents to start' }),
  store: setting(choice(['auto', 'memory', 'etcd']), { flag: '--store', placeholder: '<kind>', default: 'auto', help: '`auto`: etcd if found, else memory' }),
  etcdEndpoints: derive(STORE_SETTINGS.etcdEndpoints, { help: 'use this etcd instead of starting one', shown: 'a private etcd, or memory: see `--store`' }),
  schedulerListen: derive(SCHEDULER_SETTINGS.listen, { flag: '--scheduler-listen', env: undefined, default: '127.0.0.1:7070', help: 'scheduler gRPC' }),
  gatewayListen: derive(GATEWAY_SETTINGS.listen, { flag: '--gateway-listen', env: undefined, default: '127.0.0.1:7080', help: 'gateway gRPC' }),
  schedulerMetricsListen: derive(SCHEDULER_SETTINGS.metricsListen, { flag: '--scheduler-metrics-listen', env: undefined, help: 'scheduler `/metrics`' }),
  gatewayMetricsListen: derive(GATEWAY_SETTINGS.metricsListen, { flag: '--gateway-metrics-listen', env: undefined, help: 'gateway `/metrics`' }),
  leaseTtlMs: derive(SCHEDULER_SETTINGS.leaseTtlMs, { env: undefined, help: 'worker lease TTL' }),
  heartbeatIntervalMs: derive(SCHEDULER_SETTINGS.heartbeatIntervalMs, { env: undefined, help: 'agent heartbeat interval' }),
  exitAfterDemo: setting(toggle(), { flag: '--exit-after-demo', default: false, help: 'stop everything after the demo (for scripts and CI)' }),
  demoJob: setting(toggle(), { flag: '--no-demo-job', default: true, help: 'skip the demo job' }),
  insecure: setting(toggle(), { flag: '--insecure', default: false, help: 'serve plaintext (by default TLS, with a dev CA made for this run, its paths printed)' }),
};

const devConfigSchema = settingsSchema(DEV_SETTINGS);

/** DevConfig is the compiled configuration of `tessera dev`. */
export type DevConfig = z.output<typeof devConfigSchema>;

/** parseDevConfig validates raw settings; an error names the flag. */
export function parseDevConfig(raw: unknown): DevConfig {
  return parseConfig(devConfigSchema, raw, settingNames(DEV_SETTINGS));
}
