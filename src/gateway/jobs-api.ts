/**
 * jobs-api: the job half of GatewayService — submit, inspect, cancel, stream, explain. A tenant
 * sees only its own jobs; another tenant's job is NOT_FOUND, never FORBIDDEN (no existence leak).
 */
import type * as grpc from '@grpc/grpc-js';
import type { GatewayServiceHandlers } from '../gen/tessera/v1/GatewayService.js';
import type { StreamJobEventsRequest } from '../gen/tessera/v1/StreamJobEventsRequest.js';
import type { StreamJobEventsResponseWire } from '../gen/tessera/v1/StreamJobEventsResponse.js';
import { FailedPrecondition, InvalidArgument, NotFound, ResourceExhausted } from '../common/errors.js';
import { fromZod, isMalformed, toStatus } from '../common/grpc.js';
import { eventToWire, explanationToWire, invalidUtf8Path, jobToWire, specFromWire } from '../common/job-wire.js';
import { jobSpecSchema, type JobEvent, type JobRecord } from '../common/job.js';
import type { Logger } from '../common/logger.js';
import { submitRefusal, type TenantQuota } from '../common/quota.js';
import type { JobStore, Versioned } from '../store/job-store.js';
import type { TenantAuth } from './auth.js';

const JOB_ID = /^j-[0-9a-f]{16}$/;
/** CANCEL_RETRIES: a cancel races with scheduler writes to the job record; a few retries settle it. */
const CANCEL_RETRIES = 5;

/** PROTO_NAMES maps domain field names to the proto's, so an error names the field the caller sent. */
const PROTO_NAMES: Record<string, string> = {
  workingDir: 'working_dir',
  gpuCount: 'gpu_count',
  gpuModels: 'gpu_models',
  minGpuMemoryMib: 'min_gpu_memory_mib',
  cpuCores: 'cpu_cores',
  memoryMib: 'memory_mib',
  timeoutSeconds: 'timeout_seconds',
  maxAttempts: 'max_attempts',
  contentBase64: 'content',
  shardCount: 'shard_count',
  worldSize: 'world_size',
  requireVerified: 'require_verified',
  allowUnsandboxed: 'allow_unsandboxed',
  minReputation: 'min_reputation',
  minUptime30d: 'min_uptime_30d',
};

/** protoPath rewrites "spec.partition.shardCount" as "spec.independent.shard_count" and so on. */
function protoPath(err: InvalidArgument): InvalidArgument {
  const path = err.fieldPath
    .replace(/^spec\.partition\.(shardCount|inputs)/, 'spec.independent.$1')
    .replace(/^spec\.partition\.worldSize/, 'spec.gang.worldSize')
    .split('.')
    .map((segment) => segment.replace(/^([A-Za-z0-9]+)(\[\d+\])?$/, (_m, name: string, at: string | undefined) => (PROTO_NAMES[name] ?? name) + (at ?? '')))
    .join('.');
  return new InvalidArgument(path === 'spec.partition' ? 'spec.partition (gang or independent)' : path, err.expected);
}

type JobHandlers = Pick<GatewayServiceHandlers, 'SubmitJob' | 'GetJob' | 'ListJobs' | 'CancelJob' | 'StreamJobEvents' | 'ExplainPlacement'>;
type Unary = <Req, Res>(method: string, handle: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) => grpc.handleUnaryCall<Req, Res>;

export interface JobsApiOptions {
  retentionMs: number;
  logger: Logger;
  /** quotaOf reads a tenant's quota: a job that could never fit it is refused at submit. */
  quotaOf(tenantId: string): Promise<TenantQuota | undefined>;
}

/** checkJobId refuses a malformed job id before anything is read (the API key included). */
function checkJobId(jobId: string): string {
  if (!JOB_ID.test(jobId)) throw new InvalidArgument('job_id', 'expected a job id such as j-0123456789abcdef');
  return jobId;
}

export function jobHandlers(store: JobStore, auth: TenantAuth, unary: Unary, options: JobsApiOptions, onStream: (delta: number) => void): JobHandlers {
  /** ownJob reads the caller's job; the id's shape is checked before the caller's key is looked up. */
  async function ownJob(call: { metadata: grpc.Metadata }, jobId: string): Promise<Versioned<JobRecord>> {
    checkJobId(jobId);
    const tenantId = await auth.tenantOf(call.metadata);
    const job = await store.getJob(jobId);
    if (!job || job.value.tenantId !== tenantId) throw new NotFound(`job ${jobId} not found`);
    return job;
  }

  async function summaryOf(jobId: string): Promise<string> {
    const decisions = await store.getExplanations(jobId);
    return decisions[decisions.length - 1]?.summary ?? '';
  }

  return {
    SubmitJob: unary('SubmitJob', async (request, call) => {
      const tenantId = await auth.tenantOf(call.metadata);
      const raw = specFromWire(request.spec);
      if (raw === undefined) throw new InvalidArgument('spec', 'expected a job spec');
      const badText = invalidUtf8Path(raw);
      if (badText !== undefined) throw protoPath(new InvalidArgument(`spec.${badText}`, 'expected valid UTF-8 text'));
      const parsed = jobSpecSchema.safeParse(raw);
      if (!parsed.success) throw protoPath(fromZod(parsed.error, 'spec'));
      const refusal = submitRefusal(await options.quotaOf(tenantId), parsed.data);
      if (refusal) throw new ResourceExhausted(refusal);
      const job = await store.submit(tenantId, parsed.data, { nowMs: Date.now(), retentionMs: options.retentionMs });
      options.logger.info({ jobId: job.id, tenantId, name: job.spec.name, shards: job.shardCount }, 'job submitted');
      return { jobId: job.id, shardCount: job.shardCount };
    }),

    GetJob: unary('GetJob', async (request, call) => {
      const job = await ownJob(call, request.jobId);
      const shards = (await store.getShards(job.value.id)).map((s) => s.value);
      return { job: jobToWire(job.value, shards, await summaryOf(job.value.id), true) };
    }),

    ListJobs: unary('ListJobs', async (request, call) => {
      const tenantId = await auth.tenantOf(call.metadata);
      if (request.limit > 1000) throw new InvalidArgument('limit', 'expected at most 1000');
      const jobs = (await store.listJobs(tenantId)).slice(0, request.limit || 100);
      const wire = await Promise.all(jobs.map(async (j) => jobToWire(j, (await store.getShards(j.id)).map((s) => s.value), '', false)));
      return { jobs: wire };
    }),

    CancelJob: unary('CancelJob', async (request, call) => {
      for (let attempt = 0; attempt < CANCEL_RETRIES; attempt++) {
        const job = await ownJob(call, request.jobId);
        const shards = (await store.getShards(job.value.id)).map((s) => s.value);
        if (job.value.cancelRequested || ['succeeded', 'failed', 'cancelled'].includes(job.value.state)) {
          return { job: jobToWire(job.value, shards, '', true) };
        }
        const next = { ...job.value, cancelRequested: true };
        const ok = await store.apply([{ key: job.key, expect: job.modRevision, value: next }], [{ kind: 'job-state', state: job.value.state, message: 'cancel requested' }], job.value.id, job.value.lease);
        if (ok !== undefined) return { job: jobToWire(next, shards, '', true) };
      }
      throw new FailedPrecondition('the job changed too often to cancel; try again');
    }),

    ExplainPlacement: unary('ExplainPlacement', async (request, call) => {
      const job = await ownJob(call, request.jobId);
      const decisions = await store.getExplanations(job.value.id);
      return { summary: decisions[decisions.length - 1]?.summary ?? 'no placement decision yet', decisions: decisions.map(explanationToWire) };
    }),

    StreamJobEvents: (call) => {
      void streamEvents(call).catch((err: unknown) => {
        if (!call.destroyed) call.emit('error', toStatus(err, options.logger));
      });
    },
  };

  async function streamEvents(call: grpc.ServerWritableStream<StreamJobEventsRequest, StreamJobEventsResponseWire>): Promise<void> {
    if (isMalformed(call.request)) throw new InvalidArgument('(request)', 'not a valid StreamJobEventsRequest');
    const job = await ownJob(call, call.request.jobId);
    onStream(1);
    let last = call.request.afterSequence;
    let done = false;
    const watching: { stop?: () => Promise<void> } = {};
    const finish = (): void => {
      if (done) return;
      done = true;
      onStream(-1);
      void watching.stop?.();
      if (!call.writableEnded && !call.destroyed) call.end();
    };
    call.on('cancelled', finish);
    const send = (event: JobEvent): void => {
      if (done || event.sequence <= last) return;
      last = event.sequence;
      call.write({ event: eventToWire(event) });
      if (event.kind === 'summary') finish();
    };
    // Read what is stored, then watch from that revision: no gap, and `last` drops repeats.
    const { events, revision } = await store.events(job.value.id, last);
    const pending: JobEvent[] = [];
    let live = false;
    const watch = await store.watchEvents(job.value.id, revision, (event) => (live ? send(event) : pending.push(event)));
    watching.stop = () => watch.stop();
    for (const event of events) send(event);
    live = true;
    for (const event of pending.sort((a, b) => a.sequence - b.sequence)) send(event);
    if (done) void watch.stop();
  }
}
