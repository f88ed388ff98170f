/**
 * fuzz-arbitraries: fast-check generators for the fuzz suite (test/integration/fuzz.test.ts).
 * Requests are mostly well-formed with hostile values in some fields (huge, negative and NaN
 * numbers, long strings, control characters, unicode, `../`, ids that do not exist or do not
 * match), plus wrong oneof combinations, fully random objects and mutated or random bytes.
 * Values that only exist at run time (a real job id, the last ping's nonce) are LIVE placeholders
 * the runner replaces just before sending.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { hardwareToWire } from '../../src/wire/worker.js';
import { CPU_HARDWARE } from './workers.js';

/** LIVE: placeholders for values known only while the suite runs; `resolveLive` swaps them in. */
export const LIVE = {
  apiKey: '\u0000live:api-key',
  foreignApiKey: '\u0000live:foreign-api-key',
  joinToken: '\u0000live:join-token',
  job: '\u0000live:job',
  foreignJob: '\u0000live:foreign-job',
  worker: '\u0000live:worker',
  self: '\u0000live:self',
  selfSecret: '\u0000live:self-secret',
  otherWorker: '\u0000live:other-worker',
  otherSecret: '\u0000live:other-secret',
  /** The last assignment's shard reference on this stream (job id, index and attempt). */
  assignedRef: '\u0000live:assigned-ref',
  challenge: '\u0000live:challenge',
  ping: '\u0000live:ping',
} as const;

/** live: the placeholder for one of several live values of a kind ("#3": the fourth known job), so a seed replays the same choice. */
const live = (placeholder: string): fc.Arbitrary<string> => fc.nat({ max: 15 }).map((i) => `${placeholder}#${i}`);

/** resolveLive returns a copy of `value` with every LIVE placeholder replaced by `lookup`'s answer. */
export function resolveLive(value: unknown, lookup: (placeholder: string) => unknown): unknown {
  if (typeof value === 'string') return value.startsWith('\u0000live:') ? lookup(value) : value;
  if (Array.isArray(value)) return value.map((v) => resolveLive(v, lookup));
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveLive(v, lookup)]));
}

/** mostly: the valid value four times in five, else the hostile one. */
export function mostly<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostile, weight: 1 });
}

const repeated = <T>(value: fc.Arbitrary<T>, counts: number[]): fc.Arbitrary<T[]> =>
  fc.tuple(value, fc.constantFrom(...counts)).map(([v, n]) => Array.from({ length: n }, () => v));

/** hostileString: empty, long, control characters, unicode, lone surrogates, paths, look-alike ids. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '', ' ', '.', '..', '../', '../../etc/passwd', '/etc/passwd', 'a/../../b', 'C:\\Windows', '\u0000', '\u0000\u0001\u001f\u007f', '\n', '\r\n', '\t',
      'é', '\uFFFD', '\uD800', '\uDFFF', '\u202E', '🙂', 'ﬃ', '%s%n%x', '${jndi:ldap://x}', '<script>', 'null', 'NaN', '-1', '0x10', '1e999',
      'w-0000000000000000', 'w-ZZZZZZZZZZZZZZZZ', 'j-0000000000000000', 'J-0123456789ABCDEF', 'j-0123456789abcdef\n', 'H100', 'h100', 'tsk_x', 'tsj_x', 'Bearer ', 'stdout', 'stderr', 'no-runtime',
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'é', '\u0000', '/', '🙂'), fc.constantFrom(64, 65, 129, 257, 4097, 33 * 1024, 70_000)).map(([c, n]) => c.repeat(n)) },
);

/** hostileNumber: boundaries of every limit and of every wire type, NaN and the infinities. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 0.5, 1.5, 17, 33, 101, 1001, 1025, 10_001, 604_801, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, 2 ** 53, 2 ** 64, 1e308, -1e308, 5e-324),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

/** hostileLong: a 64-bit field's extremes, as numbers or decimal strings (how protobufjs takes them). */
export const hostileLong: fc.Arbitrary<number | string> = fc.oneof(hostileNumber, fc.constantFrom('18446744073709551615', '9223372036854775807', '-9223372036854775808', '0'));

/** hostileBytes: empty, small, a 32-byte hash's length ±1, and larger than a file may be. */
export const hostileBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constantFrom(0, 31, 32, 33, 257 * 1024).map((n) => Buffer.alloc(n, 7)) },
);

/** hostileKey: map keys that break name rules, collide with reserved names, or are very long. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(hostileString, fc.constantFrom('RANK', 'TESSERA_JOB_ID', 'CUDA_VISIBLE_DEVICES', 'bad key', 'a'.repeat(129), '__proto__', 'constructor', 'toString'));

/** hostileMap: bad keys and values, or too many entries. */
export const hostileMap: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(hostileKey, hostileString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(65, 129).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))) },
);

/**
 * hostileStrings: lists of hostile strings, or lists just over a count or size limit. They stay
 * small: requests over the 4 MiB limit are covered in jobs-input.test.ts, and megabytes here would
 * only slow the run without reaching other code.
 */
const hostileStrings: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.oneof(repeated(fc.constantFrom('a', '..'), [17, 33, 257, 600]), fc.constant<string[]>(['x'.repeat(4097), 'y'])) },
);

/** randomObject: a fully random structure, for requests that are nothing like the message. */
export const randomObject: fc.Arbitrary<Record<string, unknown>> = fc.object({ maxDepth: 3, maxKeys: 5 });

const token = (words: string[]): fc.Arbitrary<string> => fc.constantFrom(...words);

// ---- GatewayService ----------------------------------------------------------------------

const inlineFile = fc.record(
  { path: mostly(token(['run.js', 'lib/a.py', 'data.bin']), hostileString), content: mostly(fc.constant(Buffer.from('print(1)')), hostileBytes), mode: mostly(token(['0', '420', '493']).map(Number), hostileNumber) },
  { requiredKeys: [] },
);

const entrypoint = fc.record(
  {
    command: mostly(token(['node', '/usr/bin/python3']), hostileString),
    args: mostly(fc.array(token(['a', '--x', '1']), { maxLength: 3 }), hostileStrings),
    env: mostly(fc.dictionary(token(['A', 'B_2', 'MODEL']), token(['1', 'x'])), hostileMap),
    workingDir: mostly(token(['', 'sub', 'a/b']), hostileString),
    files: mostly(fc.array(inlineFile, { maxLength: 2 }), fc.oneof(fc.array(inlineFile, { maxLength: 4 }), repeated(fc.constant({ path: 'same', content: Buffer.from('x') }), [2, 33]))),
  },
  { requiredKeys: [] },
);

const resources = fc.record(
  {
    gpuCount: mostly(fc.integer({ min: 0, max: 2 }), hostileNumber),
    gpuModels: mostly(fc.array(token(['T4', 'H100', 'RTX 4090']), { maxLength: 2 }), hostileStrings),
    minGpuMemoryMib: mostly(fc.integer({ min: 0, max: 80_000 }), hostileLong),
    cpuCores: mostly(fc.constantFrom(0, 0.5, 1, 2), hostileNumber),
    memoryMib: mostly(fc.integer({ min: 0, max: 4096 }), hostileLong),
  },
  { requiredKeys: [] },
);

/** partitionCount: never a large valid count, so accepted specs stay cheap to store. */
const partitionCount = mostly(fc.integer({ min: 1, max: 3 }), fc.oneof(fc.constantFrom(0, -1, 33, 10_001, 2 ** 31, 2 ** 32 - 1, NaN, Infinity, 1.5), fc.integer({ max: 0 }), fc.integer({ min: 10_001 })));

const partition = fc.oneof(
  { weight: 4, arbitrary: fc.record({ independent: fc.record({ shardCount: partitionCount, inputs: mostly(fc.constant<string[]>([]), hostileStrings) }, { requiredKeys: [] }) }) },
  { weight: 2, arbitrary: fc.record({ gang: fc.record({ worldSize: partitionCount }, { requiredKeys: [] }) }) },
  // Wrong oneof combinations: both, or neither.
  { weight: 1, arbitrary: fc.record({ gang: fc.record({ worldSize: partitionCount }), independent: fc.record({ shardCount: partitionCount }) }) },
  { weight: 1, arbitrary: fc.constant({}) },
);

/** jobSpec: a JobSpec, mostly valid, with hostile values in some fields. */
export const jobSpec: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      {
        name: mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), hostileString),
        entrypoint: mostly(entrypoint, fc.constantFrom(null, {})),
        resources: mostly(resources, fc.constant(null)),
        timeoutSeconds: mostly(fc.integer({ min: 0, max: 3600 }), hostileNumber),
        maxAttempts: mostly(fc.integer({ min: 0, max: 10 }), hostileNumber),
        priority: mostly(fc.integer({ min: -1000, max: 1000 }), hostileNumber),
        regions: mostly(fc.array(token(['eu-west', 'us-east-1']), { maxLength: 2 }), hostileStrings),
        labels: mostly(fc.dictionary(token(['tier', 'zone']), token(['a', 'gold'])), hostileMap),
        requireVerified: fc.boolean(),
        minReputation: mostly(fc.constantFrom(0, 50, 100), hostileNumber),
        minUptime_30d: mostly(fc.constantFrom(0, 0.9, 1), hostileNumber),
        allowUnsandboxed: fc.boolean(),
      },
      { requiredKeys: ['name', 'entrypoint'] },
    ),
    partition,
  )
  .map(([spec, p]) => ({ ...spec, ...p }));

/** Generated is one request as generated: a structured value, raw bytes, or a structured value whose encoding is then mutated. */
export type Generated = { kind: 'object'; value: unknown } | { kind: 'bytes'; value: Uint8Array } | { kind: 'mutated'; value: unknown; edits: Array<[number, number]>; cut: number };

/** generated: the structured request most of the time, sometimes a random object, random bytes or a mutated encoding. */
export function generated(structured: fc.Arbitrary<unknown>): fc.Arbitrary<Generated> {
  return fc.oneof(
    { weight: 16, arbitrary: structured.map((value): Generated => ({ kind: 'object', value })) },
    { weight: 1, arbitrary: randomObject.map((value): Generated => ({ kind: 'object', value })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 96 }).map((value): Generated => ({ kind: 'bytes', value })) },
    {
      weight: 2,
      arbitrary: fc
        .record({ value: structured, edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), cut: fc.nat() })
        .map((r): Generated => ({ kind: 'mutated', ...r })),
    },
  );
}

/** jobId: a job of the caller's, another tenant's, a well-formed id that does not exist, or junk. */
export const jobId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: live(LIVE.job) },
  { weight: 1, arbitrary: fc.constant(LIVE.foreignJob) },
  { weight: 2, arbitrary: fc.stringMatching(/^j-[0-9a-f]{16}$/) },
  { weight: 3, arbitrary: hostileString },
);

const workerId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: live(LIVE.worker) },
  { weight: 2, arbitrary: fc.stringMatching(/^w-[0-9a-f]{16}$/) },
  { weight: 3, arbitrary: hostileString },
);

/** day: dates that are not days, or days far apart. */
const day: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '1970-01-01', '2026-1-1', '2026-11-28T00:00:00Z', '20261128', '+275760-09-13', '-000001-01-01'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);

/** apiKey: the caller's key most of the time; none, another tenant's, a wrong or malformed one. */
export const apiKey: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(LIVE.apiKey) },
  { weight: 1, arbitrary: fc.constant(LIVE.foreignApiKey) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom('Bearer ', 'Bearer tsk_wrong', 'Basic dXNlcjpwYXNz', 'bearer tsk_x', `Bearer ${'k'.repeat(4000)}`) },
);

/** GatewayCall is one generated GatewayService call. */
export interface GatewayCall {
  rpc: 'ListWorkers' | 'GetWorker' | 'WatchWorkers' | 'SubmitJob' | 'GetJob' | 'ListJobs' | 'CancelJob' | 'StreamJobEvents' | 'ExplainPlacement' | 'GetFleetSummary' | 'GetUsage';
  request: Generated;
  apiKey: string | undefined;
}

const call = (rpc: GatewayCall['rpc'], request: fc.Arbitrary<unknown>, weight: number): fc.WeightedArbitrary<GatewayCall> => ({
  weight,
  arbitrary: fc.record({ rpc: fc.constant(rpc), request: generated(request), apiKey }),
});

/** gatewayCall: any GatewayService call; SubmitJob, which has the most fields, most often. */
export const gatewayCall: fc.Arbitrary<GatewayCall> = fc.oneof(
  call('SubmitJob', fc.record({ spec: mostly(jobSpec, fc.constantFrom(null, {})) }, { requiredKeys: [] }), 10),
  call('ListWorkers', fc.record({ onlineOnly: fc.boolean(), region: mostly(token(['', 'eu-west']), hostileString), gpuModel: mostly(token(['', 'NVIDIA H200']), hostileString) }, { requiredKeys: [] }), 1),
  call('GetWorker', fc.record({ workerId }, { requiredKeys: [] }), 2),
  call('WatchWorkers', fc.constant({}), 1),
  call('GetJob', fc.record({ jobId }, { requiredKeys: [] }), 2),
  call('ListJobs', fc.record({ limit: mostly(fc.integer({ min: 0, max: 5 }), hostileNumber) }, { requiredKeys: [] }), 1),
  call('CancelJob', fc.record({ jobId }, { requiredKeys: [] }), 1),
  call('StreamJobEvents', fc.record({ jobId, afterSequence: mostly(fc.integer({ min: 0, max: 3 }), hostileLong) }, { requiredKeys: [] }), 2),
  call('ExplainPlacement', fc.record({ jobId }, { requiredKeys: [] }), 1),
  call('GetFleetSummary', fc.constant({}), 1),
  call('GetUsage', fc.record({ since: mostly(fc.constantFrom('', '2026-11-01'), day), until: mostly(fc.constantFrom('', '2026-11-29'), day) }, { requiredKeys: [] }), 1),
);

// ---- AgentService -----------------------------------------------------------------------

const validHardware = hardwareToWire(CPU_HARDWARE);
const enumValue = (names: string[]): fc.Arbitrary<string | number> => mostly(fc.constantFrom(...names), fc.oneof(fc.constantFrom(0, 99, -1), hostileString));

const gpu = fc.record(
  {
    vendor: enumValue(['GPU_VENDOR_NVIDIA', 'GPU_VENDOR_AMD', 'GPU_VENDOR_APPLE']),
    uuid: mostly(fc.constantFrom('GPU-1', 'GPU-2'), hostileString),
    name: mostly(fc.constantFrom('NVIDIA H100 80GB HBM3', 'Tesla T4'), hostileString),
    memoryTotalMib: mostly(fc.constantFrom(15_360, 81_559), hostileLong),
    serial: mostly(fc.constant(''), hostileString),
    pciBusId: mostly(fc.constant('00000000:01:00.0'), hostileString),
    virtualizationMode: enumValue(['VIRTUALIZATION_MODE_NONE', 'VIRTUALIZATION_MODE_PASS_THROUGH', 'VIRTUALIZATION_MODE_VGPU']),
    computeCapability: mostly(fc.constantFrom('9.0', '7.5', ''), hostileString),
    migMode: enumValue(['MIG_MODE_DISABLED', 'MIG_MODE_NOT_SUPPORTED', 'MIG_MODE_ENABLED']),
    migDevices: mostly(fc.constant<unknown[]>([]), fc.array(fc.record({ gpuInstanceId: hostileNumber, computeInstanceId: hostileNumber, memoryTotalMib: hostileLong, multiprocessorCount: hostileNumber }), { maxLength: 9 })),
    architecture: mostly(fc.constant('hopper'), hostileString),
    coreCount: mostly(fc.constant(0), hostileNumber),
  },
  { requiredKeys: [] },
);

const hardware = mostly(
  fc.constant(validHardware as unknown),
  fc.record(
    {
      gpus: fc.oneof(fc.array(gpu, { maxLength: 3 }), repeated(gpu, [65])),
      cpu: mostly(fc.record({ model: hostileString, cores: hostileNumber, memoryTotalMib: hostileLong, arch: hostileString }, { requiredKeys: [] }), fc.constant(null)),
      driverVersion: hostileString,
      cudaVersion: hostileString,
      os: hostileString,
      hostname: hostileString,
      discoverySource: hostileString,
    },
    { requiredKeys: [] },
  ),
);

const report = {
  region: mostly(fc.constantFrom('eu-west', 'us-east-1'), hostileString),
  labels: mostly(fc.constant({ tier: 'a' }), hostileMap),
  hardware: mostly(hardware, fc.constant(null)),
  agentVersion: mostly(fc.constant('0.1.0'), hostileString),
  isolation: mostly(fc.constant({ sandboxed: false, detail: '--insecure-no-sandbox' }), fc.oneof(fc.constant(null), fc.record({ sandboxed: fc.boolean(), detail: hostileString }, { requiredKeys: [] }))),
};

/** joinRequest: a JoinRequest with a live, wrong or malformed token. */
export const joinRequest: fc.Arbitrary<Generated> = generated(
  fc.record(
    { joinToken: mostly(fc.constant(LIVE.joinToken), fc.oneof(hostileString, fc.constantFrom('tsj_not-a-token', 't'.repeat(513)))), name: mostly(fc.constant('fuzz'), hostileString), ...report },
    { requiredKeys: [] },
  ),
);

const shardRef: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(LIVE.assignedRef) },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        jobId: fc.oneof(live(LIVE.job), fc.stringMatching(/^j-[0-9a-f]{16}$/), hostileString),
        index: mostly(fc.integer({ min: 0, max: 3 }), hostileNumber),
        attempt: mostly(fc.integer({ min: 0, max: 3 }), hostileNumber),
      },
      { requiredKeys: [] },
    ),
  },
);

const hello = fc.record(
  {
    workerId: mostly(fc.constant(LIVE.self), fc.oneof(fc.constant(LIVE.otherWorker), hostileString)),
    ...report,
    activeShards: mostly(fc.constant<unknown[]>([]), fc.array(shardRef, { maxLength: 3 })),
    advertiseAddress: mostly(fc.constantFrom('', '127.0.0.1'), hostileString),
  },
  { requiredKeys: ['workerId'] },
);

const shardUpdate = fc.record(
  {
    shard: mostly(shardRef, fc.constant(null)),
    started: fc.record({ pid: hostileNumber, startedUnixMs: hostileLong }, { requiredKeys: [] }),
    output: fc.record({ stream: mostly(fc.constantFrom('stdout', 'stderr'), hostileString), data: hostileBytes, truncated: fc.boolean() }, { requiredKeys: [] }),
    finished: fc.record(
      { exitCode: hostileNumber, signal: hostileString, wallMs: hostileLong, peakRssKib: hostileLong, resultJson: mostly(fc.constantFrom('{}', '{"a":1}'), hostileString), error: hostileString, cancelled: fc.boolean(), timedOut: fc.boolean(), outputBytes: hostileLong, outputTruncated: fc.boolean(), oomKilled: fc.boolean() },
      { requiredKeys: [] },
    ),
    rejected: hostileString,
  },
  // Usually one of the oneof; sometimes none or several.
  { requiredKeys: [] },
);

const connectMessage = fc.oneof(
  { weight: 2, arbitrary: fc.record({ hello }) },
  { weight: 3, arbitrary: fc.record({ heartbeat: fc.record({ sequence: mostly(fc.nat(), hostileLong), sentUnixMs: hostileLong, lastRttUs: hostileNumber }, { requiredKeys: [] }) }) },
  { weight: 4, arbitrary: fc.record({ shardUpdate }) },
  {
    weight: 2,
    arbitrary: fc.record({
      challengeCommit: fc.record(
        { challengeId: mostly(fc.constant(LIVE.challenge), hostileString), root: hostileBytes, computeMs: hostileLong, device: hostileString, error: mostly(fc.constant(''), hostileString), errorKind: fc.oneof(fc.constantFrom('no-runtime', 'helper-failed', 'deadline'), hostileString) },
        { requiredKeys: [] },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      challengeTile: fc.record(
        { challengeId: mostly(fc.constant(LIVE.challenge), hostileString), rowTile: hostileNumber, colTile: hostileNumber, values: hostileBytes, leaf: hostileBytes, proof: fc.array(hostileBytes, { maxLength: 3 }), error: hostileString },
        { requiredKeys: [] },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ pong: fc.record({ nonce: mostly(fc.constant(LIVE.ping), hostileLong) }) }) },
  { weight: 1, arbitrary: fc.record({ goodbye: fc.record({ reason: hostileString }) }) },
  { weight: 1, arbitrary: fc.constant({}) },
  // Two members of the oneof at once: the decoder keeps the last one on the wire.
  { weight: 1, arbitrary: fc.record({ heartbeat: fc.record({ sequence: fc.nat() }), goodbye: fc.record({ reason: hostileString }) }) },
);

/** ConnectSession is one generated Connect stream. */
export interface ConnectSession {
  workerId: string;
  authorization: string | undefined;
  first: Generated;
  messages: Generated[];
  ending: 'end' | 'goodbye' | 'cancel';
}

/** connectSession: credentials (mostly right), a first message (mostly a valid hello), then anything. */
export const connectSession: fc.Arbitrary<ConnectSession> = fc.record({
  workerId: mostly(fc.constant(LIVE.self), fc.oneof(fc.constant(LIVE.otherWorker), fc.constant(''), fc.string({ unit: 'grapheme-ascii', maxLength: 80 }))),
  authorization: mostly(
    fc.constant(`Bearer ${LIVE.selfSecret}`),
    fc.oneof(fc.constant(`Bearer ${LIVE.otherSecret}`), fc.constant(undefined), fc.string({ unit: 'grapheme-ascii', maxLength: 120 }), fc.constant(LIVE.selfSecret)),
  ),
  first: mostly(fc.constant<Generated>({ kind: 'object', value: { hello: { workerId: LIVE.self, hardware: validHardware, agentVersion: '0.1.0', region: 'eu-west', labels: { tier: 'a' } } } }), generated(connectMessage)),
  messages: fc.array(generated(connectMessage), { maxLength: 12 }),
  ending: fc.constantFrom('end', 'goodbye', 'cancel'),
});

// ---- job files ---------------------------------------------------------------------------

/** nested: a deeply nested map or list, where a job file expects a scalar. */
const nested: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileString, hostileNumber, fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 3 }), fc.array(tie('node'), { maxLength: 3 })),
})).node;

const wrongType: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), nested);
/** field: a valid value mostly, else a hostile value of the right type (`same`), rarely one of the wrong type. */
const field = (valid: fc.Arbitrary<unknown>, same: fc.Arbitrary<unknown> = valid): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 24 }, { arbitrary: same, weight: 3 }, { arbitrary: wrongType, weight: 1 });
const count = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 11, 33, 10_001, 2 ** 32, 1.5));

const jobFileDoc = fc.record(
  {
    name: field(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), hostileString),
    command: field(token(['node', 'python3']), hostileString),
    args: field(fc.array(fc.oneof(token(['a', '--x']), fc.integer()), { maxLength: 3 }), hostileStrings),
    env: field(fc.dictionary(token(['A', 'MODEL']), fc.oneof(token(['1', 'x']), fc.integer(), fc.boolean())), hostileMap),
    workingDir: field(token(['', 'sub']), hostileString),
    files: field(
      fc.array(
        field(
          fc.record(
            { path: field(token(['run.js', 'a/b.py']), hostileString), content: field(token(['print(1)', '']), hostileString), source: field(token(['shard.js']), fc.constantFrom('missing.js', '../missing.js', '.', '', '/')), mode: field(fc.constantFrom(420, 493), count) },
            { requiredKeys: ['path'] },
          ),
        ),
        { maxLength: 3 },
      ),
    ),
    resources: field(
      fc.record(
        {
          gpuCount: field(fc.integer({ min: 0, max: 2 }), count),
          gpuModels: field(fc.array(token(['T4', 'H100']), { maxLength: 2 }), hostileStrings),
          minGpuMemoryMib: field(fc.nat(), count),
          cpuCores: field(fc.constantFrom(0.5, 1, 2), hostileNumber),
          memoryMib: field(fc.nat(), count),
        },
        { requiredKeys: [] },
      ),
    ),
    timeout: field(fc.oneof(token(['90s', '2m', '1h', '7d', '1.5h']), fc.integer({ min: 0, max: 3600 })), fc.oneof(hostileString, count, fc.constantFrom('8d', '99999999999d', '-1s', '1 h'))),
    maxAttempts: field(fc.integer({ min: 1, max: 10 }), count),
    priority: field(fc.integer({ min: -1000, max: 1000 }), count),
    regions: field(fc.array(token(['eu-west']), { maxLength: 2 }), hostileStrings),
    labels: field(fc.dictionary(token(['tier']), token(['gold'])), hostileMap),
    requireVerified: field(fc.boolean()),
    minReputation: field(fc.constantFrom(0, 60, 100), hostileNumber),
    minUptime30d: field(fc.constantFrom(0, 0.9), hostileNumber),
    allowUnsandboxed: field(fc.boolean()),
  },
  { requiredKeys: ['name', 'command'] },
);

const independent = field(fc.record({ shardCount: field(fc.integer({ min: 1, max: 16 }), count), inputs: field(fc.array(token(['s3://a', 's3://b']), { maxLength: 2 }), hostileStrings) }, { requiredKeys: [] }));
const gang = field(fc.record({ worldSize: field(fc.integer({ min: 1, max: 4 }), count) }, { requiredKeys: [] }));
/** jobPartition: independent or gang; rarely both or neither. */
const jobPartition = fc.oneof(
  { weight: 6, arbitrary: fc.record({ independent }) },
  { weight: 3, arbitrary: fc.record({ gang }) },
  { weight: 1, arbitrary: fc.oneof(fc.record({ independent, gang }), fc.constant({})) },
);
const jobFile = fc.tuple(jobFileDoc, jobPartition).map(([doc, p]) => ({ ...doc, ...p }));

/** jobFileText: a job file as YAML or JSON (flat or under `entrypoint:`), or YAML-ish junk. */
export const jobFileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: jobFile.map((doc) => stringify(doc)) },
  { weight: 2, arbitrary: jobFile.map((doc) => JSON.stringify(doc)) },
  {
    weight: 1,
    arbitrary: jobFile.map(({ command, args, env, workingDir, files, ...rest }) => stringify({ ...rest, entrypoint: { command, args, env, workingDir, files } })),
  },
  { weight: 1, arbitrary: fc.oneof(hostileString, fc.string({ unit: fc.constantFrom(':', '-', ' ', '\n', '[', ']', '{', '}', '&a', '*a', '!!binary', '\t', '"', "'", '#', 'a', '1', '|'), maxLength: 40 }), nested.map((v) => stringify(v))) },
);
