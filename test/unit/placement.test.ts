import { describe, expect, it } from 'vitest';
import type { Hardware } from '../../src/common/hardware.js';
import { resourcesSchema } from '../../src/common/job.js';
import type { WorkerRecord } from '../../src/common/worker.js';
import { placeGang } from '../../src/scheduler/placement/gang.js';
import { buildIndex } from '../../src/scheduler/placement/snapshot.js';
import { newPlacementStack } from '../../src/scheduler/placement/stack.js';
import type { ShardAsk } from '../../src/scheduler/placement/types.js';
import { UsageTable } from '../../src/scheduler/placement/usage.js';

function worker(id: string, opts: { gpus?: Array<[string, number]>; cores?: number; region?: string; labels?: Record<string, string>; sandboxed?: boolean } = {}): WorkerRecord {
  const hardware: Hardware = {
    gpus: (opts.gpus ?? []).map(([name, memoryTotalMib], i) => ({ vendor: 'nvidia', uuid: `GPU-${id}-${i}`, name, memoryTotalMib, serial: '', pciBusId: '', virtualizationMode: 'none', computeCapability: '', migMode: 'disabled', migDevices: [], architecture: '', coreCount: 0 })),
    cpu: { model: 'cpu', cores: opts.cores ?? 4, memoryTotalMib: 16_384, arch: 'x64' },
    driverVersion: '', cudaVersion: '', os: 'Linux', hostname: id, discoverySource: 'test',
  };
  return { id, name: id, region: opts.region ?? 'eu-west', labels: opts.labels ?? {}, hardware, agentVersion: '0.1.0', isolation: { sandboxed: opts.sandboxed ?? true, detail: 'test' }, joinedAtMs: 0 };
}

function ask(resources: Record<string, unknown> = {}, extra: Partial<ShardAsk> = {}): ShardAsk {
  return { resources: resourcesSchema.parse(resources), regions: [], labels: {}, ...extra };
}

const stack = newPlacementStack();
const cpuFleet = buildIndex([worker('w-a'), worker('w-b'), worker('w-c')].map((w) => [w, true] as [WorkerRecord, boolean]));

describe('placement', () => {
  it('keeps workers below a job\'s 30-day uptime floor out, and says so', () => {
    const index = buildIndex([worker('w-a'), worker('w-b'), worker('w-c')].map((w) => [w, true] as [WorkerRecord, boolean]), (w) => ({ uptime30d: w.id === 'w-a' ? 0.95 : w.id === 'w-b' ? 0.5 : undefined }));
    const decision = stack.place(index, new UsageTable(), ask({}, { minUptime30d: 0.9 }));
    expect(decision.ok && decision.placement.workerId).toBe('w-a');
    const none = stack.place(index, new UsageTable(), ask({}, { minUptime30d: 0.99 }));
    expect(none.explanation.summary).toBe('0 of 3 workers fit: 3 were connected less than 99 % of the last 30 days');
  });

  it('explains an 8 × H100 shard on a CPU fleet in words, per reason', () => {
    const decision = stack.place(cpuFleet, new UsageTable(), ask({ gpuCount: 8, gpuModels: ['H100'] }));
    expect(decision.ok).toBe(false);
    expect(decision.explanation.summary).toBe('0 of 3 workers fit: 3 lack GPU model H100');
    expect(decision.explanation.filtered).toEqual({ 'gpu-model': 3 });
  });

  it('says which workers are offline and which lack cores', () => {
    const index = buildIndex([
      [worker('w-a', { cores: 1 }), true],
      [worker('w-b'), false],
    ]);
    const decision = stack.place(index, new UsageTable(), ask({ cpuCores: 2 }));
    expect(decision.explanation.summary).toBe('0 of 2 workers fit: 1 are offline; 1 have fewer than 2 free CPU cores');
  });

  it('places a GPU shard on a worker with the model and enough memory, naming the GPUs it gets', () => {
    const index = buildIndex([
      [worker('w-t4', { gpus: [['Tesla T4', 15_360]] }), true],
      [worker('w-h100', { gpus: [['NVIDIA H100 80GB HBM3', 81_559], ['NVIDIA H100 80GB HBM3', 81_559]] }), true],
    ]);
    const decision = stack.place(index, new UsageTable(), ask({ gpuCount: 2, gpuModels: ['h100'], minGpuMemoryMib: 40_000 }));
    expect(decision.ok && decision.placement).toEqual({ workerId: 'w-h100', gpuIndices: [0, 1] });
    expect(decision.explanation.filtered).toEqual({ 'gpu-model': 1 });
  });

  it('packs shards onto a busy worker before opening an idle one', () => {
    const usage = new UsageTable();
    usage.reserve({ workerId: 'w-b', gpuIndices: [] }, ask({ cpuCores: 2 }));
    const decision = stack.place(cpuFleet, usage, ask({ cpuCores: 1 }));
    expect(decision.ok && decision.placement.workerId).toBe('w-b');
    const selected = decision.explanation.candidates.find((c) => c.selected)!;
    expect(selected.scores).toEqual({ 'bin-pack': 75, reputation: 50, latency: 50 });
  });

  it('keeps to the regions and labels a job asks for', () => {
    const index = buildIndex([
      [worker('w-eu', { labels: { tier: 'gold' } }), true],
      [worker('w-us', { region: 'us-east', labels: { tier: 'gold' } }), true],
      [worker('w-eu2'), true],
    ]);
    const decision = stack.place(index, new UsageTable(), ask({}, { regions: ['us-east'], labels: { tier: 'gold' } }));
    expect(decision.ok && decision.placement.workerId).toBe('w-us');
  });

  it('reserves a gang all-or-nothing: two ranks fit, the third does not, nothing is held', () => {
    const usage = new UsageTable();
    const twoRanks = placeGang(stack, cpuFleet, usage, ask({ cpuCores: 4 }), 3);
    expect(twoRanks.ok).toBe(true);
    const tooBig = placeGang(stack, cpuFleet, usage, ask({ cpuCores: 4 }), 4);
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) {
      expect(tooBig.failedRank).toBe(3);
      expect(tooBig.explanation.summary).toMatch(/^gang of 4 not placed \(rank 3 has nowhere to go; nothing reserved\): 0 of 3 workers fit: 3 have fewer than 4 free CPU cores$/);
    }
    for (const id of ['w-a', 'w-b', 'w-c']) expect(usage.of(id).cpuCores).toBe(0);
  });

  it('fills every free slot of a fleet and then says it is full', () => {
    const usage = new UsageTable();
    const placed: string[] = [];
    for (;;) {
      const decision = stack.place(cpuFleet, usage, ask({ cpuCores: 1 }));
      if (!decision.ok) {
        expect(decision.explanation.summary).toBe('0 of 3 workers fit: 3 have fewer than 1 free CPU cores');
        break;
      }
      usage.reserve(decision.placement, ask({ cpuCores: 1 }));
      placed.push(decision.placement.workerId);
    }
    expect(placed).toHaveLength(12);
    expect(new Set(placed).size).toBe(3);
  });
});
