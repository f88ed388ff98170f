/**
 * config: the gateway's settings.
 */
import { z } from 'zod';
import { durationMs, listenAddress, parseConfig } from '../common/config.js';
import { DEFAULT_ROOT } from '../store/keys.js';

export const gatewayConfigSchema = z.object({
  /** Where clients call GatewayService. */
  listen: listenAddress.default('0.0.0.0:7080'),
  /** Where Prometheus scrapes /metrics: loopback unless configured (set a private address for a remote Prometheus). */
  metricsListen: listenAddress.default('127.0.0.1:9471'),
  /** etcd endpoints; empty means the in-memory store (only inside `tessera dev`, shared with the scheduler). */
  etcdEndpoints: z.array(z.string().url('expected an etcd URL such as http://127.0.0.1:2379')).default([]),
  etcdPrefix: z.string().regex(/^\/.*\/$/, 'expected a key prefix that starts and ends with "/"').default(DEFAULT_ROOT),
  /** Largest request a client may send. Requests today are small; 4 MiB leaves room for job specs. */
  maxRequestBytes: z.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  /** How long a job's record, shards and events are kept after submission (every key hangs on one lease). */
  jobRetentionMs: durationMs.default('14d').refine((ms) => ms >= 60_000, 'expected at least 1m'),
  /** At most this many WatchWorkers streams at once, so watchers cannot exhaust the gateway. */
  maxWatchStreams: z.number().int().min(1).max(100_000).default(1000),
  /** A TLS directory (ca.crt, server.crt, server.key; `tessera certs init`); ca.key is not needed here. */
  tlsDir: z.string().min(1).optional(),
  /** Serve plaintext: only on a private network or behind a TLS proxy. */
  insecure: z.boolean().default(false),
}).refine((c) => c.tlsDir !== undefined || c.insecure, {
  message: 'expected a TLS directory (`tessera certs init --dir DIR --hosts NAMES`), or --insecure to serve plaintext',
  path: ['tlsDir'],
});

/** GatewayConfig is the compiled configuration. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const GATEWAY_SETTING_NAMES = {
  listen: '--listen / TESSERA_GATEWAY_LISTEN',
  metricsListen: '--metrics-listen / TESSERA_GATEWAY_METRICS_LISTEN',
  etcdEndpoints: '--etcd / TESSERA_ETCD',
  etcdPrefix: '--etcd-prefix / TESSERA_ETCD_PREFIX',
  maxRequestBytes: '--max-request-bytes',
  maxWatchStreams: '--max-watch-streams',
  jobRetentionMs: '--job-retention / TESSERA_JOB_RETENTION',
  tlsDir: '--tls-dir / TESSERA_TLS_DIR',
  insecure: '--insecure',
};

export function parseGatewayConfig(raw: unknown): GatewayConfig {
  return parseConfig(gatewayConfigSchema, raw, GATEWAY_SETTING_NAMES);
}
