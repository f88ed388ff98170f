// Original file: proto/tessera/v1/worker.proto


export interface ReputationComponentWire {
  'name'?: (string);
  'value'?: (number | string);
  'weight'?: (number | string);
  'detail'?: (string);
}

export interface ReputationComponent {
  'name': (string);
  'value': (number);
  'weight': (number);
  'detail': (string);
}
