/**
 * jobs: a fleet for job tests — in-process scheduler and gateway on real etcd and gRPC, agents
 * as real processes — plus a tenant, a typed client and small shard scripts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobEvent } from '../../src/gen/tessera/v1/JobEvent.js';
import type { JobSpecWire } from '../../src/gen/tessera/v1/JobSpec.js';
import { jobCalls, withApiKey } from '../../src/cli/gateway-client.js';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { startEtcd, type EtcdServer } from './etcd.js';
import { spawnTessera, waitFor, type TesseraProcess } from './processes.js';
import { startServers, type Servers } from './servers.js';

export interface JobFleet {
  etcd: EtcdServer;
  servers: Servers;
  agents: Array<{ process: TesseraProcess; workerId: string }>;
  apiKey: string;
  calls: ReturnType<typeof jobCalls>;
  stateRoot: string;
  addAgent(name: string): Promise<{ process: TesseraProcess; workerId: string }>;
  stop(): Promise<void>;
}

/** startJobFleet starts etcd, the servers and `agents` agent processes, all online. */
export async function startJobFleet(
  agents: number,
  options: { killGrace?: string; maxOutputBytes?: number; agentArgs?: string[]; scheduler?: Record<string, unknown>; etcdArgs?: string[]; /** Put the scheduler's etcd connection through this hook's address (a proxy to `endpoint`). */ schedulerEtcd?: (endpoint: string) => Promise<string> } = {},
): Promise<JobFleet> {
  const etcd = await startEtcd(options.etcdArgs);
  const schedulerEtcd = options.schedulerEtcd && (await options.schedulerEtcd(etcd.endpoint));
  const servers = await startServers(etcd.endpoint, { leaseTtl: '3s', heartbeatInterval: '500ms', ...(options.scheduler && { scheduler: options.scheduler }), ...(schedulerEtcd && { schedulerEtcd }) });
  const stateRoot = await mkdtemp(join(tmpdir(), 'tessera-jobs-'));
  const { token } = await createJoinToken(servers.store, { uses: 100, ttlMs: 3_600_000 });
  const { apiKey } = await servers.jobs.createTenant('test');
  let agentsStarted = 0;
  const fleet: JobFleet = {
    etcd,
    servers,
    agents: [],
    apiKey,
    calls: jobCalls(servers.gatewayClient, apiKey),
    stateRoot,
    async addAgent(name) {
      const process = spawnTessera([
        'agent', '--scheduler', servers.scheduler.address, '--join-token', token, '--state-dir', join(stateRoot, name), '--name', name,
        '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '100ms', '--backoff-max', '1s', '--advertise-address', '127.0.0.1',
        '--kill-grace', options.killGrace ?? '2s', ...(options.maxOutputBytes ? ['--max-shard-output-bytes', String(options.maxOutputBytes)] : []),
        // Agents sharing this machine take sandbox uids from pools of their own.
        '--sandbox-uid-base', String(200_000 + 1000 * agentsStarted++),
        ...servers.agentArgs,
        ...(options.agentArgs ?? []),
      ]);
      const line = await process.waitForLog((l) => l.msg === 'connected to scheduler', 30_000);
      const agent = { process, workerId: String(line.workerId) };
      fleet.agents.push(agent);
      return agent;
    },
    async stop() {
      await Promise.all(fleet.agents.map((a) => a.process.stop('SIGKILL')));
      await servers.stop();
      await etcd.stop();
      await rm(stateRoot, { recursive: true, force: true });
    },
  };
  await Promise.all(Array.from({ length: agents }, (_, i) => fleet.addAgent(`agent-${i + 1}`)));
  await waitFor(async () => ((await servers.store.listWorkers()).filter((w) => w.online).length === agents ? true : undefined), 10_000, `${agents} workers online`);
  return fleet;
}

/** collectEvents streams a job's events until its summary (or `stopAfter` events), from `after`. */
export function collectEvents(fleet: JobFleet, jobId: string, after = 0, stopAfter = Infinity): Promise<JobEvent[]> {
  return new Promise((resolve, reject) => {
    const events: JobEvent[] = [];
    const stream = fleet.servers.gatewayClient.StreamJobEvents({ jobId, afterSequence: after }, withApiKey(fleet.apiKey));
    stream.on('data', ({ event }: { event: JobEvent }) => {
      events.push(event);
      if (events.length >= stopAfter) {
        stream.cancel();
        resolve(events);
      }
    });
    stream.on('end', () => resolve(events));
    stream.on('error', (err: { code: number }) => (err.code === 1 ? resolve(events) : reject(err as unknown as Error)));
  });
}

/** WORK_SCRIPT: a shard that prints, works for SLEEP_MS, and reports index² as its result. */
export const WORK_SCRIPT = `
const fs = require('node:fs');
const index = Number(process.env.TESSERA_SHARD_INDEX);
console.log('shard ' + index + ' attempt ' + process.env.TESSERA_ATTEMPT + ' starting');
setTimeout(() => {
  fs.writeFileSync(process.env.TESSERA_RESULT_PATH, JSON.stringify({ index, square: index * index, attempt: Number(process.env.TESSERA_ATTEMPT) }));
  console.log('shard ' + index + ' done');
}, Number(process.env.SLEEP_MS || 0));
`;

/** workJob is an independent job of `shards` shards running WORK_SCRIPT with node. */
export function workJob(name: string, shards: number, sleepMs: number, extra: Partial<JobSpecWire> = {}): JobSpecWire {
  return {
    name,
    entrypoint: { command: process.execPath, args: ['work.js'], files: [{ path: 'work.js', content: Buffer.from(WORK_SCRIPT) }], env: { SLEEP_MS: String(sleepMs) } },
    resources: { cpuCores: 1 },
    independent: { shardCount: shards },
    maxAttempts: 3,
    timeoutSeconds: 120,
    ...extra,
  };
}
