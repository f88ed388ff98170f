// Original file: proto/tessera/v1/worker.proto

import type { Long } from '@grpc/proto-loader';

export interface MigDeviceWire {
  'gpuInstanceId'?: (number);
  'computeInstanceId'?: (number);
  'memoryTotalMib'?: (number | string | Long);
  'multiprocessorCount'?: (number);
}

export interface MigDevice {
  'gpuInstanceId': (number);
  'computeInstanceId': (number);
  'memoryTotalMib': (number);
  'multiprocessorCount': (number);
}
