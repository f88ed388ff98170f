// Original file: proto/tessera/v1/gateway.proto


export interface GpuSupplyWire {
  'model'?: (string);
  'claimed'?: (number);
  'verified'?: (number);
  'flagged'?: (number);
}

export interface GpuSupply {
  'model': (string);
  'claimed': (number);
  'verified': (number);
  'flagged': (number);
}
