import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromZod, loadTesseraProto } from '../../src/common/grpc.js';
import { GPU_VENDORS, MIG_MODES, VIRTUALIZATION_MODES, hardwareSchema, type Hardware } from '../../src/common/hardware.js';
import { hardwareFromWire, hardwareToWire, migModeFromWire, migModeToWire, vendorFromWire, vendorToWire, virtualizationFromWire, virtualizationToWire } from '../../src/wire/worker.js';
import { secretMatches, sha256Hex, newSecret, JOIN_TOKEN_PREFIX } from '../../src/common/secrets.js';
import type { ShardReport } from '../../src/common/attempt.js';
import type { ChallengeCommitment, ChallengeRequest, TileAnswer } from '../../src/common/challenge.js';
import { jobSpecSchema, type JobRecord } from '../../src/common/job.js';
import {
  assignmentFromWire,
  assignToWire,
  challengeRequestFromWire,
  challengeRequestToWire,
  commitmentFromWire,
  commitmentToWire,
  shardReportFromWire,
  shardReportToWire,
  tileAnswerFromWire,
  tileAnswerToWire,
} from '../../src/wire/agent.js';

const H200: Hardware = {
  gpus: [{ vendor: 'nvidia', uuid: 'GPU-930ea816-c446-2969-4661-c22fcd35a1d9', name: 'NVIDIA H200', memoryTotalMib: 143771, serial: '1654124008041', pciBusId: '00000000:00:06.0', virtualizationMode: 'pass-through', computeCapability: '9.0', migMode: 'disabled', migDevices: [], architecture: 'Hopper', coreCount: 0 }],
  cpu: { model: 'Xeon', cores: 16, memoryTotalMib: 128_000, arch: 'x64' },
  driverVersion: '580.159.04',
  cudaVersion: '13.0',
  os: 'Linux',
  hostname: 'h200',
  discoverySource: 'nvidia-smi -q -x',
};

describe('wire conversion', () => {
  it('maps every domain enum value to the wire and back', () => {
    for (const v of GPU_VENDORS) expect(vendorFromWire(vendorToWire(v))).toBe(v);
    for (const v of VIRTUALIZATION_MODES) expect(virtualizationFromWire(virtualizationToWire(v))).toBe(v);
    for (const v of MIG_MODES) expect(migModeFromWire(migModeToWire(v))).toBe(v);
  });

  it('round-trips an H200 report through protobuf bytes unchanged', () => {
    const { proto } = loadTesseraProto();
    const method = proto.AgentService.service.Join;
    const bytes = method.requestSerialize({ joinToken: 't', hardware: hardwareToWire(H200) });
    const decoded = method.requestDeserialize(bytes);
    expect(hardwareSchema.parse(hardwareFromWire(decoded.hardware))).toEqual(H200);
  });

  it('turns unknown enum numbers into values validation refuses', () => {
    expect(vendorFromWire(42)).toBeUndefined();
    expect(virtualizationFromWire('VIRTUALIZATION_MODE_UNSPECIFIED')).toBeUndefined();
  });

  it('names nested fields in proto style', () => {
    const schema = z.object({ hardware: z.object({ gpus: z.array(z.object({ name: z.string().min(1, 'expected a GPU name') })) }) });
    const result = schema.safeParse({ hardware: { gpus: [{ name: 'ok' }, { name: '' }] } });
    expect(result.success).toBe(false);
    const err = fromZod(result.error!, 'hello');
    expect(err.fieldPath).toBe('hello.hardware.gpus[1].name');
    expect(err.message).toBe('hello.hardware.gpus[1].name: expected a GPU name');
  });
});

describe('agent.proto conversion', () => {
  const connect = loadTesseraProto().proto.AgentService.service.Connect;
  const ref = { jobId: 'j-0123456789abcdef', index: 3, attempt: 2 };

  it('carries what an agent reports about a shard to the scheduler unchanged', () => {
    const reports: ShardReport[] = [
      { kind: 'started', ref, pid: 4242, startedAtMs: 1_700_000_000_123 },
      { kind: 'output', ref, stream: 'stderr', data: Buffer.from([0xff, 0x00, 0x41]), truncated: true },
      { kind: 'finished', ref, end: { exitCode: 137, signal: 'SIGKILL', oomKilled: true, error: 'killed by the OOM killer', cancelled: false, timedOut: false, resultJson: '{"loss":0.1}', wallMs: 900, peakRssKib: 2048, outputBytes: 3, outputTruncated: true } },
      { kind: 'rejected', ref, reason: 'stale attempt 2: attempt 3 was already assigned here' },
    ];
    for (const report of reports) {
      const decoded = connect.requestDeserialize(connect.requestSerialize({ shardUpdate: shardReportToWire(report) }));
      expect(shardReportFromWire(decoded.shardUpdate!)).toEqual(report);
    }
  });

  it('gives the agent the assignment the scheduler placed, files as bytes', () => {
    const spec = jobSpecSchema.parse({
      name: 'train',
      entrypoint: { command: 'python3', args: ['train.py'], files: [{ path: 'train.py', contentBase64: Buffer.from('print(1)').toString('base64') }] },
      resources: { gpuCount: 1, cpuCores: 2, memoryMib: 4096 },
      partition: { kind: 'independent', shardCount: 4 },
    });
    const job = { id: ref.jobId, spec } as JobRecord;
    const wire = assignToWire(job, { ...ref, state: 'placed', gpuIndices: [1] }, { RANK: '0' }, 1024);
    const decoded = connect.responseDeserialize(connect.responseSerialize({ assignShard: wire }));
    expect(assignmentFromWire(decoded.assignShard!)).toEqual({
      ref,
      entrypoint: { command: 'python3', args: ['train.py'], env: {}, workingDir: '', files: [{ path: 'train.py', content: Buffer.from('print(1)'), mode: 0o644 }] },
      env: { RANK: '0' },
      timeoutSeconds: 3600,
      limits: { cpuCores: 2, memoryMib: 4096, gpuIndices: [1] },
      maxOutputBytes: 1024,
    });
  });

  it('carries a challenge, its commitment and its tiles across unchanged, answers and refusals alike', () => {
    const challenge: ChallengeRequest = { challengeId: 'c-1', seed: Buffer.alloc(32, 7), shape: { inner: 64, tileRows: 8, tileCols: 8, rowTiles: 4, colTiles: 4, leafBands: 2 }, precision: 'fp16', gpuIndex: 0, gpuUuid: 'GPU-1', deadlineMs: 5000 };
    const sent = connect.responseDeserialize(connect.responseSerialize({ computeChallenge: challengeRequestToWire(challenge) }));
    expect(challengeRequestFromWire(sent.computeChallenge!)).toEqual(challenge);

    const commitments: ChallengeCommitment[] = [
      { challengeId: 'c-1', root: Buffer.alloc(32, 1), computeMs: 12, device: 'cuda:0' },
      { challengeId: 'c-1', error: 'no PyTorch', errorKind: 'no-runtime', device: 'none' },
    ];
    for (const commitment of commitments) {
      const decoded = connect.requestDeserialize(connect.requestSerialize({ challengeCommit: commitmentToWire(commitment) }));
      expect(commitmentFromWire(decoded.challengeCommit!)).toEqual(commitment);
    }
    const tiles: TileAnswer[] = [
      { challengeId: 'c-1', rowTile: 1, colTile: 2, values: Buffer.alloc(128, 3), leaf: Buffer.alloc(16, 4), proof: [Buffer.alloc(32, 5)] },
      { challengeId: 'c-1', rowTile: 1, colTile: 3, error: 'no such challenge held here' },
    ];
    for (const tile of tiles) {
      const decoded = connect.requestDeserialize(connect.requestSerialize({ challengeTile: tileAnswerToWire(tile) }));
      expect(tileAnswerFromWire(decoded.challengeTile!)).toEqual(tile);
    }
  });
});

describe('secrets', () => {
  it('stores a hash that matches only the secret it came from', () => {
    const secret = newSecret(JOIN_TOKEN_PREFIX);
    expect(secret.startsWith('tsj_')).toBe(true);
    expect(secret.length).toBeGreaterThan(40);
    expect(secretMatches(secret, sha256Hex(secret))).toBe(true);
    expect(secretMatches(secret + 'x', sha256Hex(secret))).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });
});
