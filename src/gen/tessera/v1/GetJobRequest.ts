// Original file: proto/tessera/v1/gateway.proto


export interface GetJobRequestWire {
  'jobId'?: (string);
}

export interface GetJobRequest {
  'jobId': (string);
}
