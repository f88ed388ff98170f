// Original file: proto/tessera/v1/gateway.proto

import type { UsageDayWire as _tessera_v1_UsageDayWire, UsageDay as _tessera_v1_UsageDay } from '../../tessera/v1/UsageDay.js';
import type { TenantQuotaWire as _tessera_v1_TenantQuotaWire, TenantQuota as _tessera_v1_TenantQuota } from '../../tessera/v1/TenantQuota.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface GetUsageResponseWire {
  'tenantId'?: (string);
  'tenantName'?: (string);
  'since'?: (string);
  'until'?: (string);
  'window'?: (string);
  'gpuSeconds'?: (number | string);
  'cpuSeconds'?: (number | string);
  'attempts'?: (number | string | Long);
  'days'?: (_tessera_v1_UsageDayWire)[];
  'quota'?: (_tessera_v1_TenantQuotaWire | null);
  'asOf'?: (_google_protobuf_TimestampWire | null);
}

export interface GetUsageResponse {
  'tenantId': (string);
  'tenantName': (string);
  'since': (string);
  'until': (string);
  'window': (string);
  'gpuSeconds': (number);
  'cpuSeconds': (number);
  'attempts': (number);
  'days': (_tessera_v1_UsageDay)[];
  'quota': (_tessera_v1_TenantQuota | null);
  'asOf': (_google_protobuf_Timestamp | null);
}
