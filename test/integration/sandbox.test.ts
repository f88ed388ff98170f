/**
 * The sandbox against hostile shards, on a real agent process (root, bubblewrap, cgroup v1 on
 * this machine): a shard that hunts for the worker's identity finds nothing and runs as an
 * unprivileged uid of its own; a shard cannot see, read or signal another tenant's shard; memory,
 * processes and CPU are held to what the job asked for; and the result file cannot be turned into
 * a way to read the agent's files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/gen/tessera/v1/JobEvent.js';
import type { JobSpecWire } from '../../src/gen/tessera/v1/JobSpec.js';
import { jobCalls } from '../../src/cli/gateway-client.js';
import { collectEvents, startJobFleet, type JobFleet } from '../support/jobs.js';
import { waitFor } from '../support/processes.js';

const MAX_PIDS = 64;
let fleet: JobFleet;
beforeAll(async () => {
  fleet = await startJobFleet(1, { killGrace: '1s', agentArgs: ['--shard-max-pids', String(MAX_PIDS)] });
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
});

const sh = (name: string, script: string, extra: Partial<JobSpecWire> = {}): JobSpecWire => ({
  name,
  entrypoint: { command: '/bin/sh', args: ['-c', script] },
  resources: { cpuCores: 1 },
  independent: { shardCount: 1 },
  maxAttempts: 1,
  timeoutSeconds: 60,
  ...extra,
});

const logText = (events: JobEvent[]): string => Buffer.concat(events.filter((e) => e.event === 'log').map((e) => e.log!.data)).toString('utf8');
const resultOf = (events: JobEvent[]) => events.find((e) => e.event === 'shardResult')!.shardResult!;

async function run(spec: JobSpecWire, calls = fleet.calls): Promise<JobEvent[]> {
  const { jobId } = await calls.submit(spec);
  return collectEvents(fleet, jobId);
}

/** sandboxProcesses lists host processes running as a sandbox uid (the agent's pool starts at 200000). */
async function sandboxProcesses(): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    if (uid >= 200_000 && uid < 201_000) found.push(Number(pid));
  }
  return found;
}

/** findDir looks for a directory by name below root (depth-limited), or undefined. */
async function findDir(root: string, name: string, depth: number): Promise<string | undefined> {
  if (depth < 0) return undefined;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    if (entry.name === name) return join(root, name);
    const found = await findDir(join(root, entry.name), name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

describe('a shard hunting for the worker identity', () => {
  it('finds no identity file and no secret, and runs as an unprivileged uid that is not the agent', async () => {
    const identity = JSON.parse(await readFile(join(fleet.stateRoot, 'agent-1', 'identity.json'), 'utf8')) as { workerSecret: string };
    const events = await run(
      sh(
        'steal-identity',
        [
          'cat $(find $TESSERA_SHARD_DIR/../../.. -maxdepth 2 -name identity.json) 2>&1',
          'find / -xdev -name identity.json 2>/dev/null',
          `cat ${join(fleet.stateRoot, 'agent-1', 'identity.json')} 2>&1`,
          'cat /proc/1/environ /proc/*/environ 2>/dev/null | tr "\\0" "\\n" | grep -c TESSERA_JOIN_TOKEN',
          'echo "uid=$(id -u) gid=$(id -g)"',
          'ls -A $TESSERA_SHARD_DIR/.. | wc -l',
        ].join('; '),
      ),
    );
    const output = logText(events);
    expect(output).not.toContain(identity.workerSecret);
    expect(output).not.toMatch(/"workerSecret"/);
    const uid = Number(/uid=(\d+)/.exec(output)![1]);
    expect(uid).toBeGreaterThanOrEqual(200_000);
    expect(uid).not.toBe(process.getuid!());
    // Below the shard root it sees only its own directory.
    expect(output.trim().split('\n').at(-1)).toBe('1');
  });

  it('cannot read the agent\'s files through a result link', async () => {
    const events = await run(sh('link-result', `ln -s ${join(fleet.stateRoot, 'agent-1', 'identity.json')} $TESSERA_RESULT_PATH`));
    const result = resultOf(events);
    expect(result.resultJson).toBe('');
    expect(result.error).toContain('result file is a symbolic link');
  });
});

describe('a tenant\'s environment', () => {
  it('reaches the shard and no root process (LD_PRELOAD cannot load into the launcher)', async () => {
    const marker = `TENANT_MARKER_${Date.now()}`;
    const { jobId } = await fleet.calls.submit({
      ...sh('env-only-inside', 'echo "inside: $TENANT_VAR"; sleep 3'),
      entrypoint: { command: '/bin/sh', args: ['-c', 'echo "inside: $TENANT_VAR"; sleep 3'], env: { TENANT_VAR: marker, LD_PRELOAD: '/nonexistent/evil.so' } },
    });
    // While it runs: every host process holding the tenant's variable runs as a sandbox uid.
    const holders = await waitFor(async () => {
      const found: Array<{ pid: string; uid: number }> = [];
      for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
        const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
        if (!environ.includes(marker)) continue;
        const uid = Number(/^Uid:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1] ?? -1);
        found.push({ pid, uid });
      }
      return found.length > 0 ? found : undefined;
    }, 20_000, 'the shard running with its variable');
    for (const h of holders) expect(h.uid, `pid ${h.pid}`).toBeGreaterThanOrEqual(200_000);
    const events = await collectEvents(fleet, jobId);
    expect(logText(events)).toContain(`inside: ${marker}`);
  });
});

describe('two tenants on one worker', () => {
  it('a shard cannot see, read or signal another tenant\'s shard', async () => {
    const secret = `secret-${Date.now()}`;
    const { apiKey } = await fleet.servers.jobs.createTenant('victim');
    const victim = jobCalls(fleet.servers.gatewayClient, apiKey);
    const { jobId: victimJob } = await victim.submit({
      ...sh('victim', ''),
      entrypoint: { command: '/bin/sh', args: ['-c', `echo ${secret} > private.txt; sleep 6; cat private.txt; echo '{"ok":true}' > $TESSERA_RESULT_PATH`], env: { VICTIM_SECRET: secret } },
    });
    await waitFor(async () => ((await victim.get(victimJob)).job!.shards[0]!.state === 'SHARD_STATE_RUNNING' ? true : undefined), 20_000, 'the victim running');
    const events = await run(
      sh(
        'attacker',
        [
          'echo "processes: $(ls /proc | grep -c "^[0-9]")"',
          'cat /proc/*/environ 2>/dev/null | tr "\\0" "\\n" | grep VICTIM_SECRET',
          `find / -xdev -name private.txt 2>/dev/null`,
          'kill -KILL -1 2>/dev/null',
          'echo attacker-done',
        ].join('; '),
      ),
    );
    const output = logText(events);
    expect(output).not.toContain(secret);
    // Its own pid namespace: bubblewrap's init, the shell, and ls/grep at most.
    expect(Number(/processes: (\d+)/.exec(output)![1])).toBeLessThanOrEqual(5);
    const job = await waitFor(async () => {
      const { job } = await victim.get(victimJob);
      return job!.state === 'JOB_STATE_RUNNING' || job!.state === 'JOB_STATE_PENDING' ? undefined : job!;
    }, 20_000, 'the victim finished');
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(job.shards[0]!.resultJson).toBe('{"ok":true}\n');
  });
});

describe('limits the job asked for', () => {
  it('OOM-kills a shard over its memory limit and says so, with the limit', async () => {
    const events = await run({
      ...sh('hog', ''),
      entrypoint: { command: '/usr/bin/python3', args: ['-c', 'a = []\nwhile True:\n    a.append(b"x" * (16 << 20))'] },
      resources: { cpuCores: 1, memoryMib: 96 },
    });
    const result = resultOf(events);
    expect(result.state).toBe('SHARD_STATE_FAILED');
    expect(result.error).toBe('killed by the OOM killer: the shard went over its memory limit of 96 MiB');
  });

  it(`contains a fork bomb at ${MAX_PIDS} processes, and the worker goes on`, async () => {
    // bash retries a fork that fails for want of pids: without a limit it takes the machine.
    const { jobId } = await fleet.calls.submit({ ...sh('bomb', ''), entrypoint: { command: '/bin/bash', args: ['-c', 'while :; do sleep 100 & done'] }, timeoutSeconds: 4 });
    // The kernel's own count of the attempt's cgroup (a /proc scan is not atomic).
    const group = await waitFor(() => findDir('/sys/fs/cgroup/pids', `${jobId}-0-a1`, 6), 10_000, 'the bomb\'s cgroup');
    const done = collectEvents(fleet, jobId);
    let finished = false;
    void done.then(() => (finished = true));
    let most = 0;
    let refused = 0;
    while (!finished) {
      most = Math.max(most, Number(await readFile(join(group, 'pids.current'), 'utf8').catch(() => '0')));
      refused = Math.max(refused, Number(/^max (\d+)/m.exec(await readFile(join(group, 'pids.events'), 'utf8').catch(() => ''))?.[1] ?? 0));
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = resultOf(await done);
    expect(result.error).toBe('timed out after 4 s');
    expect(most).toBe(MAX_PIDS);
    expect(refused).toBeGreaterThan(0);
    await waitFor(async () => ((await sandboxProcesses()).length === 0 ? true : undefined), 5_000, 'the bomb gone');
    const after = await run({ ...sh('after-bomb', 'echo "{}" > $TESSERA_RESULT_PATH') });
    expect(resultOf(after).state).toBe('SHARD_STATE_SUCCEEDED');
  });

  it('holds a shard with cpuCores: 1 to about one core, however many processes it runs', async () => {
    // Two busy processes for 3 s of wall time: unlimited, they use ~2 cores on a 2-core machine.
    const script = [
      'import json, os, time, multiprocessing as mp',
      'def spin(seconds):',
      '    end = time.time() + seconds',
      '    while time.time() < end: pass',
      'start = time.time()',
      'procs = [mp.Process(target=spin, args=(3,)) for _ in range(2)]',
      '[p.start() for p in procs]; [p.join() for p in procs]',
      't = os.times()',
      'json.dump({"cpu": t.children_user + t.children_system, "wall": time.time() - start}, open(os.environ["TESSERA_RESULT_PATH"], "w"))',
    ].join('\n');
    const events = await run({ ...sh('spin', ''), entrypoint: { command: '/usr/bin/python3', args: ['-c', script] }, resources: { cpuCores: 1 } });
    const { cpu, wall } = JSON.parse(resultOf(events).resultJson) as { cpu: number; wall: number };
    const cores = cpu / wall;
    console.log(`cpuCores: 1 → ${cores.toFixed(2)} cores used (${cpu.toFixed(2)} s CPU in ${wall.toFixed(2)} s)`);
    expect(cores).toBeLessThan(1.3);
    expect(cores).toBeGreaterThan(0.5);
  });
});
