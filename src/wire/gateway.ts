/**
 * gateway: gateway.proto — GatewayService's requests and answers — between wire and domain
 * types. Requests are validated here; errors name the proto field ("job_id", "gpu_model").
 */
import type { GetUsageResponse, GetUsageResponseWire } from '../gen/tessera/v1/GetUsageResponse.js';
import type { ListJobsRequest } from '../gen/tessera/v1/ListJobsRequest.js';
import type { ListWorkersRequest } from '../gen/tessera/v1/ListWorkersRequest.js';
import type { WatchWorkersResponseWire, _tessera_v1_WatchWorkersResponse_WorkerEventType as WorkerEventTypeOut } from '../gen/tessera/v1/WatchWorkersResponse.js';
import { JOB_ID_PATTERN } from '../common/attempt.js';
import { InvalidArgument } from '../common/errors.js';
import { quotaState, type UsageReport } from '../common/usage.js';
import { WORKER_ID_PATTERN, type LiveRecord, type WorkerFilter, type WorkerRecord, type WorkerView } from '../common/worker.js';
import type { WorkerChange } from '../store/topology-view.js';
import { timestampFromWire, timestampToWire } from './timestamp.js';
import { workerToWire } from './worker.js';

/** MAX_LISTED_JOBS: ListJobs answers at most this many jobs; DEFAULT_LISTED_JOBS when the caller names no limit. */
const MAX_LISTED_JOBS = 1000;
const DEFAULT_LISTED_JOBS = 100;

/** jobIdFromWire refuses a malformed job id before anything is read (the API key included). */
export function jobIdFromWire(jobId: string): string {
  if (!JOB_ID_PATTERN.test(jobId)) throw new InvalidArgument('job_id', 'expected a job id such as j-0123456789abcdef');
  return jobId;
}

/** jobPageFromWire reads which page of ListJobs the caller asks for. */
export function jobPageFromWire(request: ListJobsRequest): { limit: number; pageToken?: string } {
  if (request.limit > MAX_LISTED_JOBS) throw new InvalidArgument('limit', `expected at most ${MAX_LISTED_JOBS}`);
  if (request.pageToken.length > 64) throw new InvalidArgument('page_token', 'expected the next_page_token of a previous ListJobs response');
  return { limit: request.limit || DEFAULT_LISTED_JOBS, ...(request.pageToken && { pageToken: request.pageToken }) };
}

/** filterFromWire reads ListWorkers' filter. */
export function filterFromWire(request: ListWorkersRequest): WorkerFilter {
  if (request.region.length > 63) throw new InvalidArgument('region', 'expected at most 63 characters');
  if (request.gpuModel.length > 256) throw new InvalidArgument('gpu_model', 'expected at most 256 characters');
  return { onlineOnly: request.onlineOnly, region: request.region, gpuModel: request.gpuModel };
}

/** workerIdFromWire refuses a malformed worker id before anything is read. */
export function workerIdFromWire(workerId: string): string {
  if (!WORKER_ID_PATTERN.test(workerId)) throw new InvalidArgument('worker_id', 'expected a worker id such as w-0123456789abcdef');
  return workerId;
}

function eventTypeToWire(change: WorkerChange | 'existing'): WorkerEventTypeOut {
  switch (change) {
    case 'existing':
      return 'WORKER_EVENT_TYPE_EXISTING';
    case 'joined':
      return 'WORKER_EVENT_TYPE_JOINED';
    case 'online':
      return 'WORKER_EVENT_TYPE_ONLINE';
    case 'offline':
      return 'WORKER_EVENT_TYPE_OFFLINE';
    case 'updated':
      return 'WORKER_EVENT_TYPE_UPDATED';
  }
}

/** watchEventToWire builds one WatchWorkers message from a view record. */
export function watchEventToWire(change: WorkerChange | 'existing', worker: WorkerRecord, live: LiveRecord | undefined, deviceIds: boolean): WatchWorkersResponseWire {
  const view: WorkerView = { ...worker, online: live !== undefined, ...(live && { connectedAtMs: live.connectedAtMs }) };
  return { type: eventTypeToWire(change), worker: workerToWire(view, undefined, undefined, { deviceIds }) };
}

/** usageToWire converts a usage report; the CLI reads it back with usageFromWire. */
export function usageToWire(report: UsageReport): GetUsageResponseWire {
  const q = report.quota;
  return {
    tenantId: report.tenantId,
    tenantName: report.tenantName,
    since: report.window.since,
    until: report.window.until,
    window: report.windowText,
    gpuSeconds: report.total.gpuSeconds,
    cpuSeconds: report.total.cpuSeconds,
    attempts: report.total.attempts,
    days: report.days,
    ...(q && { quota: quotaState(q) }),
    asOf: timestampToWire(report.asOfMs),
  };
}

/** usageFromWire reads a GetUsage answer as the report the operator path builds. */
export function usageFromWire(r: GetUsageResponse): UsageReport {
  const q = r.quota;
  return {
    tenantId: r.tenantId,
    tenantName: r.tenantName,
    window: { since: r.since, until: r.until, days: r.days.length },
    windowText: r.window,
    days: r.days.map((d) => ({ day: d.day, gpuSeconds: d.gpuSeconds, cpuSeconds: d.cpuSeconds, attempts: d.attempts })),
    total: { day: 'total', gpuSeconds: r.gpuSeconds, cpuSeconds: r.cpuSeconds, attempts: r.attempts },
    ...(q && { quota: quotaState(q) }),
    asOfMs: timestampFromWire(r.asOf),
  };
}
