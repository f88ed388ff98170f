/**
 * The fleet end to end: scheduler, gateway and three agents as separate OS processes on a real
 * etcd. Agents come online, survive a scheduler restart under the same ids, and an agent killed
 * with SIGKILL goes offline in every view (gateway, etcd, /metrics) within TTL + 2 s.
 */
import { Etcd3 } from 'etcd3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayServiceClient } from '../../src/gen/tessera/v1/GatewayService.js';
import { freePort } from '../../src/common/net.js';
import { connectGateway, listWorkers } from '../../src/cli/gateway-client.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { promtoolCheck, sampleValue, scrape } from '../support/metrics.js';
import { runTessera, spawnTessera, stopAll, waitFor, type TesseraProcess } from '../support/processes.js';

const LEASE_TTL_MS = 3_000;
const ONLINE = 'tessera_workers_online';
const CPU_ONLY = { gpu_model: 'none' };

describe('a fleet of separate processes on real etcd', () => {
  let etcd: EtcdServer;
  let etcdClient: Etcd3;
  let stateRoot: string;
  let schedulerPort: number;
  let schedulerMetricsPort: number;
  let scheduler: TesseraProcess;
  let gateway: TesseraProcess;
  let gatewayClient: GatewayServiceClient;
  let gatewayMetricsUrl: string;
  const schedulerMetricsUrl = (): string => `http://127.0.0.1:${schedulerMetricsPort}/metrics`;
  const agents: TesseraProcess[] = [];
  const tlsDir = (): string => join(stateRoot, 'tls');
  const figures: Record<string, number> = {};

  function startScheduler(): TesseraProcess {
    return spawnTessera([
      'scheduler',
      '--listen', `127.0.0.1:${schedulerPort}`,
      '--metrics-listen', `127.0.0.1:${schedulerMetricsPort}`,
      '--etcd', etcd.endpoint,
      '--lease-ttl', `${LEASE_TTL_MS}ms`,
      '--heartbeat-interval', '500ms',
      '--rtt-report-interval', '10m',
      '--tls-dir', tlsDir(),
    ]);
  }

  async function onlineIds(): Promise<string[]> {
    return (await listWorkers(gatewayClient)).filter((w) => w.online).map((w) => w.id).sort();
  }

  beforeAll(async () => {
    etcd = await startEtcd();
    etcdClient = new Etcd3({ hosts: etcd.endpoint });
    stateRoot = await mkdtemp(join(tmpdir(), 'tessera-fleet-'));
    // The control plane serves TLS from a CA made with the CLI, as an operator would.
    const certs = await runTessera(['certs', 'init', '--dir', tlsDir(), '--hosts', '127.0.0.1,localhost']);
    expect(certs.code, certs.stderr).toBe(0);
    [schedulerPort, schedulerMetricsPort] = [await freePort(), await freePort()];
    scheduler = startScheduler();
    gateway = spawnTessera(['gateway', '--listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0', '--etcd', etcd.endpoint, '--tls-dir', tlsDir()]);
    await scheduler.waitForLog((l) => l.msg === 'scheduler listening');
    const ready = await gateway.waitForLog((l) => l.msg === 'gateway listening');
    gatewayClient = connectGateway(String(ready.grpcAddress), join(tlsDir(), 'ca.crt'));
    gatewayMetricsUrl = String(ready.metricsUrl);
  });

  afterAll(async () => {
    gatewayClient?.close();
    await stopAll();
    etcdClient?.close();
    await etcd?.stop();
    if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
    console.log('fleet figures (ms):', JSON.stringify(figures));
  });

  it('brings three agent processes online within 5 s of their start, joined with a token from the CLI', async () => {
    const token = await runTessera(['join-token', 'create', '--uses', '3', '--ttl', '10m', '--etcd', etcd.endpoint]);
    expect(token.code).toBe(0);
    const joinToken = token.stdout.trim();
    // The token carries the pin of the CA the scheduler published: agents trust nothing else.
    expect(joinToken).toMatch(/^tsj_[A-Za-z0-9_-]+\.sha256:[0-9a-f]{64}$/);
    const started = Date.now();
    for (let i = 1; i <= 3; i++) {
      agents.push(
        spawnTessera([
          'agent', '--scheduler', `127.0.0.1:${schedulerPort}`, '--join-token', joinToken,
          '--state-dir', join(stateRoot, `agent-${i}`), '--name', `agent-${i}`, '--region', 'eu-west',
          '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '100ms', '--backoff-max', '1s',
        ]),
      );
    }
    // The clock starts when the last agent process is up (its first log line), so Node's own
    // start-up on a loaded CI core is not counted against Tessera; both figures are reported.
    await Promise.all(agents.map((a) => a.waitForLog(() => true, 20_000)));
    const processesUp = Date.now();
    const ids = await waitFor(async () => ((await onlineIds()).length === 3 ? onlineIds() : undefined), 5_000, '3 workers online');
    figures.spawnToThreeOnline = Date.now() - started;
    figures.processesUpToThreeOnline = Date.now() - processesUp;
    expect(ids).toHaveLength(3);
    // The token had 3 uses: it is spent, and etcd holds no copy of it, only of its hash.
    const tokenKeys = await etcdClient.getAll().prefix('/tessera/v1/join-tokens/').keys();
    expect(tokenKeys).toEqual([]);
    expect(JSON.stringify(await etcdClient.getAll().prefix('/tessera/v1/').strings())).not.toContain(joinToken);
    await waitFor(async () => (sampleValue(await scrape(schedulerMetricsUrl()), ONLINE, CPU_ONLY) === 3 ? true : undefined), 5_000, 'scheduler metrics show 3 online');
  });

  it('serves /metrics that promtool accepts on the scheduler, the gateway and an agent', async () => {
    const agentReady = await agents[0]!.waitForLog((l) => l.msg === 'hardware discovered');
    for (const url of [schedulerMetricsUrl(), gatewayMetricsUrl, String(agentReady.metricsUrl)]) {
      const page = await scrape(url);
      const check = promtoolCheck(page);
      expect(check.output, url).toBe('');
      expect(check.ok).toBe(true);
    }
    expect(sampleValue(await scrape(schedulerMetricsUrl()), 'tessera_scheduler_agent_streams')).toBe(3);
  });

  it('writes nothing to etcd while a steady fleet beats: heartbeats only renew leases', async () => {
    // Let the join-time compute challenges finish first: they write trust records and log events.
    await waitFor(async () => (sampleValue(await scrape(schedulerMetricsUrl()), 'tessera_scheduler_challenges_total', { outcome: 'passed' }) === 3 ? true : undefined), 20_000, 'three challenges passed');
    await new Promise((r) => setTimeout(r, 500));
    const revision = async (): Promise<string> => (await etcdClient.get('/tessera/v1/none').exec()).header.revision;
    const before = await revision();
    const beatsBefore = sampleValue(await scrape(schedulerMetricsUrl()), 'tessera_scheduler_heartbeat_lag_seconds_count') ?? 0;
    await new Promise((r) => setTimeout(r, 2_500));
    const beatsAfter = sampleValue(await scrape(schedulerMetricsUrl()), 'tessera_scheduler_heartbeat_lag_seconds_count') ?? 0;
    expect(beatsAfter - beatsBefore).toBeGreaterThanOrEqual(9);
    expect(await revision()).toBe(before);
    expect(await onlineIds()).toHaveLength(3);
  });

  it('reconnects every agent by itself under the same id after the scheduler restarts', async () => {
    const before = await onlineIds();
    await scheduler.stop('SIGKILL');
    const restartedAt = Date.now();
    scheduler = startScheduler();
    await scheduler.waitForLog((l) => l.msg === 'scheduler listening');
    await waitFor(async () => (sampleValue(await scrape(schedulerMetricsUrl()), 'tessera_scheduler_agent_streams') === 3 ? true : undefined), 20_000, 'all 3 agents reconnected');
    figures.reconnectAfterSchedulerRestart = Date.now() - restartedAt;
    expect(await onlineIds()).toEqual(before);
    for (const agent of agents) {
      // The stream counts before the Welcome reaches the agent: wait for the agent's own word.
      const connects = await waitFor(() => {
        const lines = agent.lines.filter((l) => l.msg === 'connected to scheduler');
        return lines.length >= 2 ? lines : undefined;
      }, 10_000, 'the agent to log its reconnection');
      expect(new Set(connects.map((l) => l.workerId)).size).toBe(1);
    }
  });

  it('takes a SIGKILLed agent offline in the gateway, in etcd and in /metrics within TTL + 2 s', async () => {
    const victim = agents[0]!;
    const victimId = String((await victim.waitForLog((l) => l.msg === 'connected to scheduler')).workerId);
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const deadline = LEASE_TTL_MS + 2_000;
    const seen: Record<string, number> = {};
    await waitFor(
      async () => {
        const now = Date.now() - killedAt;
        if (seen.gateway === undefined && !(await onlineIds()).includes(victimId)) seen.gateway = now;
        if (seen.etcd === undefined && (await etcdClient.get(`/tessera/v1/live/${victimId}`).string()) === null) seen.etcd = now;
        if (seen.schedulerMetrics === undefined && sampleValue(await scrape(schedulerMetricsUrl()), ONLINE, CPU_ONLY) === 2) seen.schedulerMetrics = now;
        if (seen.gatewayMetrics === undefined && sampleValue(await scrape(gatewayMetricsUrl), ONLINE, CPU_ONLY) === 2) seen.gatewayMetrics = now;
        return Object.keys(seen).length === 4 ? true : undefined;
      },
      deadline + 3_000,
      'the killed worker offline everywhere',
    );
    Object.assign(figures, Object.fromEntries(Object.entries(seen).map(([k, v]) => [`offlineAfterKill.${k}`, v])));
    for (const [view, ms] of Object.entries(seen)) expect(ms, view).toBeLessThanOrEqual(deadline);
    // Still registered, just offline; the other two stay online.
    const listed = await listWorkers(gatewayClient);
    expect(listed.find((w) => w.id === victimId)).toMatchObject({ online: false, lastHeartbeatTime: null });
    expect(listed.filter((w) => w.online)).toHaveLength(2);
  });

  it('takes an agent stopped with SIGTERM offline at once: it says goodbye', async () => {
    const leaving = agents[1]!;
    const leavingId = String((await leaving.waitForLog((l) => l.msg === 'connected to scheduler')).workerId);
    const stoppedAt = Date.now();
    await leaving.stop('SIGTERM');
    await waitFor(async () => ((await onlineIds()).includes(leavingId) ? undefined : true), LEASE_TTL_MS, 'the departed worker offline');
    figures.offlineAfterGoodbye = Date.now() - stoppedAt;
    expect(figures.offlineAfterGoodbye).toBeLessThan(LEASE_TTL_MS);
    expect(await leaving.exited).toBe(0);
  });

  it('prints the fleet with `tessera workers`', async () => {
    const ready = await gateway.waitForLog((l) => l.msg === 'gateway listening');
    const result = await runTessera(['workers', '--gateway', String(ready.grpcAddress), '--tls-ca', join(tlsDir(), 'ca.crt')]);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^ID\s+NAME\s+GPUS\s+REGION\s+ONLINE\s+LAST HEARTBEAT\s+TRUST\s+SANDBOX$/);
    const cells = rows.slice(1).map((r) => r.split(/\s{2,}/));
    // CPU-only agents that answered their challenge correctly are verified.
    expect(cells.filter((c) => c[6] === 'verified').length).toBeGreaterThanOrEqual(1);
    expect(cells.filter((c) => c[4] === 'yes')).toHaveLength(1);
    expect(cells.filter((c) => c[4] === 'no')).toHaveLength(2);
    expect(result.stdout).toContain('eu-west');
  });
});
