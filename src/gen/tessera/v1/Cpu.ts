// Original file: proto/tessera/v1/worker.proto

import type { Long } from '@grpc/proto-loader';

export interface CpuWire {
  'model'?: (string);
  'cores'?: (number);
  'memoryTotalMib'?: (number | string | Long);
  'arch'?: (string);
}

export interface Cpu {
  'model': (string);
  'cores': (number);
  'memoryTotalMib': (number);
  'arch': (string);
}
