/**
 * gateway-client: the CLI's typed, promise-based view of GatewayService.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import type { GatewayServiceClient } from '../gen/tessera/v1/GatewayService.js';
import type { ListWorkersRequestWire } from '../gen/tessera/v1/ListWorkersRequest.js';
import type { Worker } from '../gen/tessera/v1/Worker.js';
import type { JobSpecWire } from '../gen/tessera/v1/JobSpec.js';
import type { SubmitJobResponse } from '../gen/tessera/v1/SubmitJobResponse.js';
import type { GetJobResponse } from '../gen/tessera/v1/GetJobResponse.js';
import type { ListJobsResponse } from '../gen/tessera/v1/ListJobsResponse.js';
import type { ListWorkersResponse } from '../gen/tessera/v1/ListWorkersResponse.js';
import type { CancelJobResponse } from '../gen/tessera/v1/CancelJobResponse.js';
import type { ExplainPlacementResponse } from '../gen/tessera/v1/ExplainPlacementResponse.js';
import type { GetUsageResponse } from '../gen/tessera/v1/GetUsageResponse.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../common/grpc.js';
import { clientCredentials } from '../common/tls.js';

/**
 * connectGateway returns a client for `address`: TLS trusting the CA in `caFile` (--tls-ca, or
 * TESSERA_TLS_CA), plaintext when neither names one.
 */
export function connectGateway(address: string, caFile: string | undefined = process.env.TESSERA_TLS_CA || undefined): GatewayServiceClient {
  const { proto } = loadTesseraProto();
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new Error(`--tls-ca ${caFile}: ${(err as Error).message}`);
    }
  }
  return new proto.GatewayService(address, clientCredentials(caPem), CLIENT_OPTIONS);
}

/** listWorkers calls ListWorkers with a deadline. */
export async function listWorkers(client: GatewayServiceClient, request: ListWorkersRequestWire = {}, timeoutMs = 10_000): Promise<Worker[]> {
  const response = await promised<ListWorkersResponse>((m, o, cb) => client.ListWorkers(request, m, o, cb), undefined, timeoutMs);
  return response.workers;
}

/** withApiKey returns call metadata carrying a tenant API key. */
export function withApiKey(apiKey: string | undefined): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (apiKey) metadata.set('authorization', `Bearer ${apiKey}`);
  return metadata;
}

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;

function promised<Res>(invoke: (metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback<Res>) => unknown, apiKey: string | undefined, timeoutMs = 30_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke(withApiKey(apiKey), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
}

/** jobCalls are the job RPCs as promises, each with the caller's API key. */
export function jobCalls(client: GatewayServiceClient, apiKey: string | undefined) {
  return {
    submit: (spec: JobSpecWire) => promised<SubmitJobResponse>((m, o, cb) => client.SubmitJob({ spec }, m, o, cb), apiKey),
    get: (jobId: string) => promised<GetJobResponse>((m, o, cb) => client.GetJob({ jobId }, m, o, cb), apiKey),
    list: (limit = 100) => promised<ListJobsResponse>((m, o, cb) => client.ListJobs({ limit }, m, o, cb), apiKey),
    cancel: (jobId: string) => promised<CancelJobResponse>((m, o, cb) => client.CancelJob({ jobId }, m, o, cb), apiKey),
    explain: (jobId: string) => promised<ExplainPlacementResponse>((m, o, cb) => client.ExplainPlacement({ jobId }, m, o, cb), apiKey),
    usage: (since = '', until = '') => promised<GetUsageResponse>((m, o, cb) => client.GetUsage({ since, until }, m, o, cb), apiKey),
  };
}
