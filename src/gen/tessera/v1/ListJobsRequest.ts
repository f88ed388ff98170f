// Original file: proto/tessera/v1/gateway.proto


export interface ListJobsRequestWire {
  'limit'?: (number);
}

export interface ListJobsRequest {
  'limit': (number);
}
