// Original file: proto/tessera/v1/gateway.proto


export interface SubmitJobResponseWire {
  'jobId'?: (string);
  'shardCount'?: (number);
}

export interface SubmitJobResponse {
  'jobId': (string);
  'shardCount': (number);
}
