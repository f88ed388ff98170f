// Original file: proto/tessera/v1/gateway.proto


export interface ExplainPlacementRequestWire {
  'jobId'?: (string);
}

export interface ExplainPlacementRequest {
  'jobId': (string);
}
