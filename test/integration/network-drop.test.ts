/**
 * A silent network drop between an agent (a real process) and the scheduler: the link swallows
 * bytes without a reset. The worker goes offline when its lease runs out, the agent notices the
 * missing heartbeat answers and keeps retrying, and when the link returns it is back online
 * under the same worker id with no operator action.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { spawnTessera, stopAll, waitFor } from '../support/processes.js';
import { startServers, type Servers } from '../support/servers.js';
import { TcpProxy } from '../support/tcp-proxy.js';

let etcd: EtcdServer;
let servers: Servers;
let proxy: TcpProxy;
let stateDir: string;

beforeAll(async () => {
  etcd = await startEtcd();
  servers = await startServers(etcd.endpoint, { leaseTtl: '3s', heartbeatInterval: '500ms' });
  proxy = await TcpProxy.start(servers.scheduler.address);
  stateDir = await mkdtemp(join(tmpdir(), 'tessera-drop-'));
});
afterAll(async () => {
  await stopAll();
  await proxy?.close();
  await servers?.stop();
  await etcd?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

it('goes offline when the link goes silent and comes back as the same worker when it returns', async () => {
  const { token } = await createJoinToken(servers.store, { uses: 1, ttlMs: 60_000 });
  const agent = spawnTessera([
    'agent', '--scheduler', proxy.address, '--join-token', token, '--state-dir', stateDir,
    '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '200ms', '--backoff-max', '1s', '--connect-timeout', '2s', ...servers.agentArgs,
  ]);
  const workerId = String((await agent.waitForLog((l) => l.msg === 'connected to scheduler')).workerId);
  expect((await servers.store.getWorker(workerId))!.online).toBe(true);

  proxy.mode = 'blackhole';
  const cutAt = Date.now();
  await waitFor(async () => ((await servers.store.getWorker(workerId))!.online ? undefined : true), 5_000, 'offline after the cut');
  const offlineMs = Date.now() - cutAt;
  expect(offlineMs).toBeLessThanOrEqual(3_000 + 2_000);
  const disconnected = await agent.waitForLog((l) => String(l.msg).startsWith('disconnected from scheduler'), 10_000);
  expect(String(disconnected.reason)).toMatch(/no heartbeat answer|not accepted within/);

  proxy.mode = 'pass';
  proxy.resetAll();
  const restoredAt = Date.now();
  await waitFor(async () => ((await servers.store.getWorker(workerId))!.online ? true : undefined), 15_000, 'online again after the link returns');
  // The scheduler puts the worker online before its Welcome reaches the agent: wait for the agent's own word.
  const reconnects = await waitFor(() => {
    const lines = agent.lines.filter((l) => l.msg === 'connected to scheduler');
    return lines.length >= 2 ? lines : undefined;
  }, 10_000, 'the agent to log its reconnection');
  expect(new Set(reconnects.map((l) => l.workerId))).toEqual(new Set([workerId]));
  console.log(`network drop: offline ${offlineMs} ms after the cut; online again ${Date.now() - restoredAt} ms after the link returned`);
});
