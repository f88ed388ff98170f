// Original file: proto/tessera/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface TenantQuotaWire {
  'maxGpus'?: (number);
  'maxShards'?: (number);
  'gpuSecondsPerPeriod'?: (number | string | Long);
  'periodDays'?: (number);
  'periodSince'?: (string);
  'periodGpuSeconds'?: (number | string);
  '_maxGpus'?: "maxGpus";
  '_maxShards'?: "maxShards";
  '_gpuSecondsPerPeriod'?: "gpuSecondsPerPeriod";
}

export interface TenantQuota {
  'maxGpus'?: (number);
  'maxShards'?: (number);
  'gpuSecondsPerPeriod'?: (number);
  'periodDays': (number);
  'periodSince': (string);
  'periodGpuSeconds': (number);
  '_maxGpus'?: "maxGpus";
  '_maxShards'?: "maxShards";
  '_gpuSecondsPerPeriod'?: "gpuSecondsPerPeriod";
}
