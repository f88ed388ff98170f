// Original file: proto/tessera/v1/job.proto

import type { Long } from '@grpc/proto-loader';

export interface ResourcesWire {
  'gpuCount'?: (number);
  'gpuModels'?: (string)[];
  'minGpuMemoryMib'?: (number | string | Long);
  'cpuCores'?: (number | string);
  'memoryMib'?: (number | string | Long);
}

export interface Resources {
  'gpuCount': (number);
  'gpuModels': (string)[];
  'minGpuMemoryMib': (number);
  'cpuCores': (number);
  'memoryMib': (number);
}
