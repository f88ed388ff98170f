// Original file: proto/tessera/v1/gateway.proto


export interface ListJobsRequestWire {
  'limit'?: (number);
  'pageToken'?: (string);
}

export interface ListJobsRequest {
  'limit': (number);
  'pageToken': (string);
}
