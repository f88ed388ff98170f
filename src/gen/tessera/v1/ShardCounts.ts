// Original file: proto/tessera/v1/job.proto


export interface ShardCountsWire {
  'pending'?: (number);
  'placed'?: (number);
  'running'?: (number);
  'succeeded'?: (number);
  'failed'?: (number);
  'cancelled'?: (number);
}

export interface ShardCounts {
  'pending': (number);
  'placed': (number);
  'running': (number);
  'succeeded': (number);
  'failed': (number);
  'cancelled': (number);
}
