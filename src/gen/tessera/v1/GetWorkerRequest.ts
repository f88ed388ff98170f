// Original file: proto/tessera/v1/gateway.proto


export interface GetWorkerRequestWire {
  'workerId'?: (string);
}

export interface GetWorkerRequest {
  'workerId': (string);
}
