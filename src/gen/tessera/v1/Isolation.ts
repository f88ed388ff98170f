// Original file: proto/tessera/v1/worker.proto


export interface IsolationWire {
  'sandboxed'?: (boolean);
  'detail'?: (string);
}

export interface Isolation {
  'sandboxed': (boolean);
  'detail': (string);
}
