/**
 * jobs-api: the job half of GatewayService — submit, inspect, cancel, stream, explain. A tenant
 * sees only its own jobs; another tenant's job is NOT_FOUND, never FORBIDDEN (no existence leak).
 */
import type * as grpc from '@grpc/grpc-js';
import type { GatewayServiceHandlers } from '../gen/tessera/v1/GatewayService.js';
import type { StreamJobEventsRequest } from '../gen/tessera/v1/StreamJobEventsRequest.js';
import type { StreamJobEventsResponseWire } from '../gen/tessera/v1/StreamJobEventsResponse.js';
import { FailedPrecondition, InvalidArgument, NotFound, ResourceExhausted } from '../common/errors.js';
import { isMalformed, toStatus } from '../common/grpc.js';
import { isTerminalJob, type JobEvent, type JobRecord } from '../common/job.js';
import type { Logger } from '../common/logger.js';
import { submitRefusal, type TenantQuota } from '../common/quota.js';
import type { JobStore, Versioned } from '../store/job-store.js';
import { jobIdFromWire, jobPageFromWire } from '../wire/gateway.js';
import { eventToWire, explanationToWire, jobSpecFromWire, jobToWire } from '../wire/job.js';
import type { TenantAuth } from './auth.js';
import { EventFeeds } from './event-feeds.js';

/** CANCEL_RETRIES: a cancel races with the scheduler's writes to the job's status; retries with growing jittered waits (about 2 s in all) settle it. */
const CANCEL_RETRIES = 12;

type JobHandlers = Pick<GatewayServiceHandlers, 'SubmitJob' | 'GetJob' | 'ListJobs' | 'CancelJob' | 'StreamJobEvents' | 'ExplainPlacement'>;
type Unary = <Req, Res>(method: string, handle: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) => grpc.handleUnaryCall<Req, Res>;

export interface JobsApiOptions {
  retentionMs: number;
  logger: Logger;
  /** quotaOf reads a tenant's quota: a job that could never fit it is refused at submit. */
  quotaOf(tenantId: string): Promise<TenantQuota | undefined>;
}

export function jobHandlers(store: JobStore, auth: TenantAuth, unary: Unary, options: JobsApiOptions, onStream: (delta: number) => void): JobHandlers {
  const feeds = new EventFeeds(store, options.logger);
  /** ownJob reads the caller's job; the id's shape is checked before the caller's key is looked up. */
  async function ownJob(call: { metadata: grpc.Metadata }, jobId: string): Promise<Versioned<JobRecord>> {
    jobIdFromWire(jobId);
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
      const spec = jobSpecFromWire(request.spec);
      const refusal = submitRefusal(await options.quotaOf(tenantId), spec);
      if (refusal) throw new ResourceExhausted(refusal);
      const job = await store.submit(tenantId, spec, { nowMs: Date.now(), retentionMs: options.retentionMs });
      options.logger.info({ jobId: job.id, tenantId, name: job.spec.name, shards: job.shardCount }, 'job submitted');
      return { jobId: job.id, shardCount: job.shardCount };
    }),

    GetJob: unary('GetJob', async (request, call) => {
      const job = await ownJob(call, request.jobId);
      const shards = (await store.getShards(job.value)).map((s) => s.value);
      return { job: jobToWire(job.value, await summaryOf(job.value.id), shards) };
    }),

    ListJobs: unary('ListJobs', async (request, call) => {
      const tenantId = await auth.tenantOf(call.metadata);
      const page = await store.listJobs(tenantId, jobPageFromWire(request));
      return { jobs: page.jobs.map((j) => jobToWire(j, '')), nextPageToken: page.next ?? '' };
    }),

    CancelJob: unary('CancelJob', async (request, call) => {
      for (let attempt = 0; attempt < CANCEL_RETRIES; attempt++) {
        const job = await ownJob(call, request.jobId);
        if (job.value.cancelRequested || isTerminalJob(job.value.state)) return { job: jobToWire(job.value, '') };
        const done = await store.apply({ job, next: { ...job.value, cancelRequested: true }, events: [{ kind: 'job-state', state: job.value.state, message: 'cancel requested' }] });
        if (done !== undefined) return { job: jobToWire(done.job, '') };
        // A busy job's status changes often (starts, output): wait a little, jittered, and read again.
        await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** Math.min(attempt, 5)));
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
    let live = false;
    let reading = false;
    const buffered: JobEvent[] = [];
    const subscription: { leave?: () => void } = {};
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      onStream(-1);
      subscription.leave?.();
      if (err !== undefined) {
        if (!call.destroyed) call.emit('error', toStatus(err, options.logger));
      } else if (!call.writableEnded && !call.destroyed) call.end();
    };
    call.on('cancelled', () => finish());
    const send = (event: JobEvent): void => {
      if (done || event.sequence <= last) return;
      last = event.sequence;
      call.write({ event: eventToWire(event) });
      if (event.kind === 'summary') finish();
    };
    // Read what is stored after `last`, page by page from its key (never the prefix before it);
    // live events wait in `buffered` meanwhile and the overlap is dropped by sequence.
    // A catch-up asked for while one runs (the feed re-watched mid-read) runs again after it.
    let again = false;
    const catchUp = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      live = false;
      try {
        do {
          again = false;
          for (;;) {
            const page = await store.events(job.value.id, last);
            for (const event of page.events) send(event);
            if (done || !page.more) break;
          }
        } while (again && !done);
        live = true;
        for (const event of buffered.splice(0).sort((a, b) => a.sequence - b.sequence)) send(event);
      } finally {
        reading = false;
      }
    };
    try {
      subscription.leave = await feeds.subscribe(job.value.id, {
        deliver: (event) => (live ? send(event) : buffered.push(event)),
        pause: () => {
          live = false;
        },
        catchUp: () => void catchUp().catch((err: unknown) => finish(err)),
      });
    } catch (err) {
      finish(err);
      return;
    }
    if (done) return subscription.leave();
    try {
      await catchUp();
    } catch (err) {
      finish(err);
    }
  }

}
