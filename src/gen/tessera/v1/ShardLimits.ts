// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ShardLimitsWire {
  'cpuCores'?: (number | string);
  'memoryMib'?: (number | string | Long);
  'gpuIndices'?: (number)[];
}

export interface ShardLimits {
  'cpuCores': (number);
  'memoryMib': (number);
  'gpuIndices': (number)[];
}
