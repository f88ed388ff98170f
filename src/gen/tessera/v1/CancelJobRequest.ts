// Original file: proto/tessera/v1/gateway.proto


export interface CancelJobRequestWire {
  'jobId'?: (string);
}

export interface CancelJobRequest {
  'jobId': (string);
}
