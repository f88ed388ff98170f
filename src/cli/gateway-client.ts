/**
 * gateway-client: the CLI's typed, promise-based view of GatewayService.
 */
import * as grpc from '@grpc/grpc-js';
import type { GatewayServiceClient } from '../gen/tessera/v1/GatewayService.js';
import type { ListWorkersRequestWire } from '../gen/tessera/v1/ListWorkersRequest.js';
import type { Worker } from '../gen/tessera/v1/Worker.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../common/grpc.js';

/** connectGateway returns a client for `address`. */
export function connectGateway(address: string): GatewayServiceClient {
  const { proto } = loadTesseraProto();
  return new proto.GatewayService(address, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
}

/** listWorkers calls ListWorkers with a deadline. */
export function listWorkers(client: GatewayServiceClient, request: ListWorkersRequestWire = {}, timeoutMs = 10_000): Promise<Worker[]> {
  return new Promise((resolve, reject) => {
    client.ListWorkers(request, { deadline: Date.now() + timeoutMs }, (err, response) => (err ? reject(err) : resolve(response!.workers)));
  });
}
