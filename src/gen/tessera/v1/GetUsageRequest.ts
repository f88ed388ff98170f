// Original file: proto/tessera/v1/gateway.proto


export interface GetUsageRequestWire {
  'since'?: (string);
  'until'?: (string);
}

export interface GetUsageRequest {
  'since': (string);
  'until': (string);
}
