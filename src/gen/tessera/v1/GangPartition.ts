// Original file: proto/tessera/v1/job.proto


export interface GangPartitionWire {
  'worldSize'?: (number);
}

export interface GangPartition {
  'worldSize': (number);
}
