/**
 * settings: every setting of `tessera gateway`, defined once (see common/settings.ts).
 */
import { address, duration, integer, setting, text } from '../common/settings.js';
import { SERVE_PLAINTEXT, STORE_SETTINGS } from '../common/shared-settings.js';

/** GATEWAY_SETTINGS: the gateway's table, in the order help and the README list it. */
export const GATEWAY_SETTINGS = {
  listen: setting(address(), { flag: '--listen', env: 'TESSERA_GATEWAY_LISTEN', default: '0.0.0.0:7080', help: '`GatewayService` gRPC address, where clients call' }),
  // Loopback unless configured: set a private address for a remote Prometheus.
  metricsListen: setting(address(), { flag: '--metrics-listen', env: 'TESSERA_GATEWAY_METRICS_LISTEN', default: '127.0.0.1:9471', help: 'Prometheus `/metrics` address (loopback unless configured)' }),
  ...STORE_SETTINGS,
  tlsDir: setting(text(), {
    flag: '--tls-dir',
    placeholder: '<dir>',
    env: 'TESSERA_TLS_DIR',
    help: 'serve TLS from this directory: `ca.crt`, `server.crt`, `server.key` (`tessera certs init`; `ca.key` is not needed here); needed unless `--insecure`',
  }),
  insecure: SERVE_PLAINTEXT,
  // So watchers cannot exhaust the gateway.
  maxWatchStreams: setting(integer({ min: 1, max: 100_000 }), { flag: '--max-watch-streams', default: 1000, help: '`WatchWorkers` streams at once' }),
  // Every key of a job hangs on one lease.
  jobRetentionMs: setting(duration({ min: '1m' }), { flag: '--job-retention', env: 'TESSERA_JOB_RETENTION', default: '14d', help: 'every key of a job (record, shards, events) expires this long after submission' }),
};
