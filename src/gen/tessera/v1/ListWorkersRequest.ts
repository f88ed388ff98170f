// Original file: proto/tessera/v1/gateway.proto


export interface ListWorkersRequestWire {
  'onlineOnly'?: (boolean);
  'region'?: (string);
  'gpuModel'?: (string);
}

export interface ListWorkersRequest {
  'onlineOnly': (boolean);
  'region': (string);
  'gpuModel': (string);
}
