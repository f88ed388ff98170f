import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/common/backoff.js';
import { parseDurationMs } from '../../src/common/config.js';
import { ConfigError } from '../../src/common/errors.js';
import { parseAgentConfig } from '../../src/agent/config.js';
import { parseSchedulerConfig } from '../../src/scheduler/config.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['400', 400],
  ])('reads %s as %i ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', 'ten seconds', '10 parsecs', '-5s'])('refuses %j', (text) => expect(parseDurationMs(text)).toBeUndefined());
});

describe('component settings', () => {
  it('applies documented defaults to the scheduler', () => {
    const config = parseSchedulerConfig({ insecure: true });
    expect(config).toMatchObject({ listen: '0.0.0.0:7070', metricsListen: '127.0.0.1:9470', leaseTtlMs: 10_000, heartbeatIntervalMs: 2_000, etcdEndpoints: [], etcdPrefix: '/tessera/v1/' });
    expect(config).toMatchObject({ maxAttemptOutputBytes: 1024 * 1024, maxJobOutputBytes: 64 * 1024 * 1024, outputRateBytesPerSec: 64 * 1024, outputBurstBytes: 512 * 1024 });
  });

  it('refuses to serve without TLS unless told --insecure', () => {
    expect(() => parseSchedulerConfig({})).toThrow(/--tls-dir \/ TESSERA_TLS_DIR: expected a TLS directory \(`tessera certs init/);
    expect(() => parseGatewayConfig({})).toThrow(/--tls-dir \/ TESSERA_TLS_DIR: expected a TLS directory/);
    expect(parseSchedulerConfig({ tlsDir: '/etc/tessera/tls' })).toMatchObject({ tlsDir: '/etc/tessera/tls', insecure: false, clientCertTtlMs: 30 * 86_400_000 });
  });

  it('keeps /metrics on loopback unless configured', () => {
    expect(parseGatewayConfig({ insecure: true }).metricsListen).toBe('127.0.0.1:9471');
  });

  it('refuses a per-attempt output cap above the per-job cap, naming the flag', () => {
    expect(() => parseSchedulerConfig({ insecure: true, maxAttemptOutputBytes: 2048, maxJobOutputBytes: 1024 })).toThrow(/--max-attempt-output-bytes: expected the per-attempt output cap ≤ the per-job cap/);
  });

  it('names the flag and env variable of a bad setting', () => {
    expect(() => parseSchedulerConfig({ leaseTtlMs: 'soon' })).toThrow(new ConfigError('--lease-ttl / TESSERA_LEASE_TTL', 'expected a duration such as 500ms, 10s, 5m, 1h or 7d'));
    expect(() => parseSchedulerConfig({ listen: 'localhost' })).toThrow(/--listen \/ TESSERA_SCHEDULER_LISTEN: expected host:port/);
    expect(() => parseGatewayConfig({ etcdEndpoints: ['not a url'] })).toThrow(/--etcd \/ TESSERA_ETCD: expected an etcd URL/);
  });

  it('refuses a heartbeat interval that leaves fewer than three beats per lease', () => {
    expect(() => parseSchedulerConfig({ insecure: true, leaseTtlMs: '3s', heartbeatIntervalMs: '2s' })).toThrow(/--heartbeat-interval.*heartbeat interval × 3 ≤ lease TTL/);
  });

  it('requires the agent to name a scheduler with a real port, and parses labels', () => {
    expect(() => parseAgentConfig({})).toThrow(/--scheduler \/ TESSERA_SCHEDULER/);
    expect(() => parseAgentConfig({ scheduler: '10.0.0.1:0' })).toThrow(/expected a real port/);
    expect(parseAgentConfig({ scheduler: 'sched.example:7070', labels: 'tier=gold, owner=alice' }).labels).toEqual({ tier: 'gold', owner: 'alice' });
    expect(() => parseAgentConfig({ scheduler: 'sched.example:7070', labels: 'tier' })).toThrow(/--labels.*key=value/);
  });
});

describe('reconnect back-off', () => {
  it('doubles up to the cap, stays within [cap/2, cap], and starts over after a success', () => {
    const random = (): number => 0.999;
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, random });
    const delays = Array.from({ length: 6 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    const low = new Backoff({ initialMs: 100, maxMs: 1_000, random: () => 0 });
    expect([low.nextDelayMs(), low.nextDelayMs()]).toEqual([50, 100]);
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(100);
  });
});
