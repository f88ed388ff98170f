// Original file: proto/tessera/v1/agent.proto


export interface ShardRefWire {
  'jobId'?: (string);
  'index'?: (number);
  'attempt'?: (number);
}

export interface ShardRef {
  'jobId': (string);
  'index': (number);
  'attempt': (number);
}
