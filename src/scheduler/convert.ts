/**
 * convert: the scheduler's wire ↔ domain boundary for AgentService messages.
 */
import type { HelloWire, Hello } from '../gen/tessera/v1/Hello.js';
import type { JoinRequest } from '../gen/tessera/v1/JoinRequest.js';
import { fromZod } from '../common/grpc.js';
import { splitJoinToken } from '../store/join-tokens.js';
import { InvalidArgument } from '../common/errors.js';
import { hardwareFromWire } from '../common/wire.js';
import { workerReportSchema, WORKER_ID_PATTERN, type WorkerReport } from '../common/worker.js';

export type { HelloWire };

/** reportFromJoin validates a JoinRequest; errors name the field ("hardware.gpus[0].name"). */
export function reportFromJoin(request: JoinRequest): { token: string; report: WorkerReport } {
  if (request.joinToken === '') throw new InvalidArgument('join_token', 'expected the join token from `tessera join-token create`');
  if (request.joinToken.length > 512) throw new InvalidArgument('join_token', 'expected at most 512 characters');
  // The token may carry the CA pin after a dot (it is the agent's business); the store hashed the rest.
  return { token: splitJoinToken(request.joinToken).secret, report: validateReport(request, request.name, '') };
}

/** reportFromHello validates a Hello; errors name the field under "hello.". */
export function reportFromHello(hello: Hello, workerName: string): { workerId: string; report: WorkerReport } {
  if (!WORKER_ID_PATTERN.test(hello.workerId)) throw new InvalidArgument('hello.worker_id', 'expected the worker id returned by Join (w- and 16 hex digits)');
  return { workerId: hello.workerId, report: validateReport(hello, workerName, 'hello') };
}

function validateReport(
  source: { region: string; labels: Record<string, string>; hardware: Parameters<typeof hardwareFromWire>[0]; agentVersion?: string; isolation?: { sandboxed: boolean; detail: string } | null },
  name: string,
  prefix: string,
): WorkerReport {
  const parsed = workerReportSchema.safeParse({
    name,
    region: source.region,
    labels: source.labels,
    hardware: hardwareFromWire(source.hardware),
    agentVersion: source.agentVersion ?? '',
    isolation: source.isolation ? { sandboxed: source.isolation.sandboxed, detail: source.isolation.detail } : undefined,
  });
  if (!parsed.success) throw fromZod(parsed.error, prefix);
  return parsed.data;
}
