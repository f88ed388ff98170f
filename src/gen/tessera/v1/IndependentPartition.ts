// Original file: proto/tessera/v1/job.proto


export interface IndependentPartitionWire {
  'shardCount'?: (number);
  'inputs'?: (string)[];
}

export interface IndependentPartition {
  'shardCount': (number);
  'inputs': (string)[];
}
