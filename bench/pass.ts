/**
 * Pass benchmark: one JobController pass at fleet scale — 10,000 workers online and 100,000
 * live shards (placed or running) across 1,000 jobs — timed by the controller's own pass-seconds
 * metric, with this process's CPU time and the heap's growth over the pass (a full GC before it,
 * but for the arrival that must find the placement index under 1 s old). The store is the
 * in-memory Kv with etcd's semantics (kv-memory.ts), so what is timed is the controller's work,
 * not etcd's round trips. Four passes:
 *
 *   nothing dirty          a kick with no change: the lost-worker check over every worker holding shards
 *   one job dirty          one running job changed (settle it; nothing to place)
 *   one new job            a 4-shard job arrives through the store's watch: settle, rebuild usage
 *                          from every live shard, place 4 shards, commit, write explanations
 *   one new job, index     the same right after a worker change: the placement index of 10,000
 *   rebuilt                workers is rebuilt too (it is at most 1 s old otherwise)
 */
import { jobSpecSchema, type JobRecord, type ShardRecord } from '../src/common/job.js';
import type { JobController } from '../src/scheduler/jobs/controller.js';
import { BATCH_SHARDS } from '../src/scheduler/jobs/attempt-end.js';
import { buildIndex } from '../src/scheduler/placement/snapshot.js';
import { JobStore, type Versioned } from '../src/store/job-store.js';
import { MemoryKv } from '../src/store/kv-memory.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { TopologyView } from '../src/store/topology-view.js';
import { gc, heapMiB, median, newController, silent, sleep, writeFleet } from './common.js';
import { simulatedFleet } from './placement.js';

/** PassSample is one timed pass: wall time (the controller's metric), this process's CPU time over it, and the heap's growth. */
export interface PassSample {
  ms: number;
  cpuMs: number;
  heapMiB: number;
}

/** PassFigures: the medians of each kind of pass, and what the loaded state costs. */
export interface PassFigures {
  workers: number;
  shards: number;
  jobs: number;
  /** Heap the scheduler's copies take once loaded — topology view, job cache, controller — after a full GC, MiB (the in-memory store's own copy excluded). */
  stateMiB: number;
  /** Seconds the controller took to load the store at start (its mirrors' reads). */
  loadSeconds: number;
  passes: Record<'nothingDirty' | 'oneDirty' | 'newJob' | 'newJobRebuild', PassSample>;
  /** What a placing pass spends in two of its steps, timed alone on the same state: usage rebuilt from every live shard, and the placement index of every worker. */
  indexRebuildMs: number;
  repeats: number;
}

interface Slot {
  worker: { id: string; cores: number; gpus: number };
  coresUsed: number;
  gpusUsed: number;
}

/**
 * loadShards writes `jobsCount` running jobs holding `shards` shards in all through
 * JobStore.apply (60 shards a transaction, as the controller commits them). One job in eight
 * asks for a GPU; shards go to workers in turn wherever a GPU (and a core) is free.
 */
async function loadShards(jobs: JobStore, slots: Slot[], jobsCount: number, shards: number): Promise<void> {
  const perJob = Math.ceil(shards / jobsCount);
  let cpuNext = 0;
  let gpuNext = 0;
  const gpuSlots = slots.filter((s) => s.worker.gpus > 0);
  const take = (gpu: boolean): { slot: Slot; gpuIndices: number[] } => {
    const pool = gpu ? gpuSlots : slots;
    for (let tries = 0; tries < pool.length; tries++) {
      const slot = pool[(gpu ? gpuNext++ : cpuNext++) % pool.length]!;
      if (slot.coresUsed + 1 > slot.worker.cores || (gpu && slot.gpusUsed >= slot.worker.gpus)) continue;
      slot.coresUsed += 1;
      const gpuIndices = gpu ? [slot.gpusUsed++] : [];
      return { slot, gpuIndices };
    }
    throw new Error('bench: the fleet is too small for the live shards asked for');
  };
  let written = 0;
  for (let j = 0; j < jobsCount && written < shards; j++) {
    const count = Math.min(perJob, shards - written);
    const gpu = j % 8 === 0;
    const spec = jobSpecSchema.parse({ name: `live-${j}`, entrypoint: { command: 'python3', args: ['work.py'] }, resources: { cpuCores: 1, gpuCount: gpu ? 1 : 0 }, partition: { kind: 'independent', shardCount: count } });
    const submitted = await jobs.submit('t-bench', spec, { nowMs: Date.now(), retentionMs: 86_400_000 });
    let version: Versioned<JobRecord> = (await jobs.getJob(submitted.id))!;
    const now = Date.now();
    for (let i = 0; i < count; i += BATCH_SHARDS) {
      const batch = Array.from({ length: Math.min(BATCH_SHARDS, count - i) }, (_, k) => {
        const index = i + k;
        const { slot, gpuIndices } = take(gpu);
        const next: ShardRecord = { jobId: submitted.id, index, attempt: 1, state: 'running', workerId: slot.worker.id, gpuIndices, placedAtMs: now, startedAtMs: now };
        return { current: { key: jobs.keys.shard(submitted.id, index), value: { jobId: submitted.id, index, attempt: 1, state: 'pending' as const }, modRevision: 0 }, next };
      });
      const nextJob: JobRecord = { ...version.value, state: 'running' };
      const done = await jobs.apply({ job: version, next: nextJob, shards: batch });
      if (!done) throw new Error('bench: loading live shards lost a compare');
      version = { key: version.key, value: done.job, modRevision: done.revision };
    }
    written += count;
  }
}

/** passFigures builds the fleet and the live shards, starts a controller on them, and times its passes. */
export async function passFigures(workers: number, shards: number, jobsCount: number, repeats: number): Promise<PassFigures> {
  const kv = new MemoryKv();
  const topology = new TopologyStore(kv, undefined, silent);
  const fleet = simulatedFleet(workers);
  await writeFleet(topology, fleet, 86_400_000);
  const jobs = new JobStore(kv);
  const slots: Slot[] = fleet.map((w) => ({ worker: { id: w.id, cores: w.hardware.cpu.cores, gpus: w.hardware.gpus.length }, coresUsed: 0, gpusUsed: 0 }));
  await loadShards(jobs, slots, jobsCount, shards);
  slots.length = 0;
  gc();
  const before = heapMiB();

  let waiting: ((sample: { seconds: number; heapBytes: number; cpu: NodeJS.CpuUsage }) => void) | undefined;
  let passes = 0;
  const view = await TopologyView.start(topology);
  const controller: JobController = newController({
    jobs,
    kv,
    root: undefined,
    topology: view,
    log: {
      onPass: (seconds, heapBytes) => {
        passes++;
        const w = waiting;
        waiting = undefined;
        w?.({ seconds, heapBytes, cpu: process.cpuUsage() });
      },
    },
  });
  const loadStart = performance.now();
  await controller.start();
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const quiet = async (): Promise<void> => {
    // Let the passes a change started (and their echoes) finish.
    for (let seen = -1; seen !== passes; ) {
      seen = passes;
      await sleep(60);
      await controller.idle();
    }
  };
  await quiet();
  gc();
  const stateMiB = heapMiB() - before;

  const nextPass = (): Promise<{ seconds: number; heapBytes: number; cpu: NodeJS.CpuUsage }> => new Promise((resolve) => (waiting = resolve));
  /** timed runs `trigger` and sums the passes until `done`; `collect`: a full GC first (it takes long enough at this heap to age the placement index past its 1 s). */
  const timed = async (trigger: () => Promise<void> | void, done: () => boolean = () => true, collect = true): Promise<PassSample> => {
    await quiet();
    if (collect) {
      gc();
      // Let V8 finish sweeping after the collection, so the pass does not pay for it.
      await sleep(100);
    }
    const heapBefore = process.memoryUsage().heapUsed;
    let ms = 0;
    let heap = 0;
    let cpuMs = 0;
    const cpuBefore = process.cpuUsage();
    const passed = (async () => {
      for (;;) {
        const p = await nextPass();
        ms += p.seconds * 1000;
        heap = Math.max(heap, (p.heapBytes - heapBefore) / 1_048_576);
        cpuMs = (p.cpu.user + p.cpu.system - cpuBefore.user - cpuBefore.system) / 1000;
        if (done()) return;
      }
    })();
    await trigger();
    await passed;
    return { ms, cpuMs, heapMiB: heap };
  };

  const liveJob = [...controller.cache.jobs.keys()][0]!;
  const small = jobSpecSchema.parse({ name: 'arrival', entrypoint: { command: 'true' }, resources: { cpuCores: 1 }, partition: { kind: 'independent', shardCount: 4 } });
  const samples: Record<keyof PassFigures['passes'], PassSample[]> = { nothingDirty: [], oneDirty: [], newJob: [], newJobRebuild: [] };
  const indexRebuild: number[] = [];
  const arrival = async (rebuild: boolean): Promise<PassSample> => {
    let id = '';
    return timed(
      async () => {
        if (rebuild) controller.capacityChanged();
        id = (await jobs.submit('t-arrivals', small, { nowMs: Date.now(), retentionMs: 86_400_000 })).id;
      },
      () => (controller.cache.jobs.get(id)?.value.counts.placed ?? 0) === 4,
      rebuild,
    );
  };
  try {
    for (let r = 0; r < repeats; r++) {
      samples.nothingDirty.push(await timed(() => controller.kick()));
      samples.oneDirty.push(
        await timed(() => {
          controller.cache.markDirty(liveJob);
          controller.kick();
        }),
      );
      samples.newJobRebuild.push(await arrival(true));
      // Within a second of the rebuild: the index is reused, as on a busy scheduler.
      samples.newJob.push(await arrival(false));
    }
    // The index rebuild alone, on the same state, as nodeIndex() runs it.
    await quiet();
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      buildIndex([...view.workers.values()].filter((w) => view.isOnline(w.id)).map((w) => [w, true] as [typeof w, boolean]));
      indexRebuild.push(performance.now() - start);
    }
  } finally {
    await controller.stop();
    await view.stop();
    await kv.close();
  }
  const med = (list: PassSample[]): PassSample => ({ ms: median(list.map((s) => s.ms)), cpuMs: median(list.map((s) => s.cpuMs)), heapMiB: median(list.map((s) => s.heapMiB)) });
  return {
    workers,
    shards,
    jobs: jobsCount,
    stateMiB,
    loadSeconds,
    passes: { nothingDirty: med(samples.nothingDirty), oneDirty: med(samples.oneDirty), newJob: med(samples.newJob), newJobRebuild: med(samples.newJobRebuild) },
    indexRebuildMs: median(indexRebuild),
    repeats,
  };
}
