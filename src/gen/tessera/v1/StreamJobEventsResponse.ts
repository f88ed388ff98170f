// Original file: proto/tessera/v1/gateway.proto

import type { JobEventWire as _tessera_v1_JobEventWire, JobEvent as _tessera_v1_JobEvent } from '../../tessera/v1/JobEvent.js';

export interface StreamJobEventsResponseWire {
  'event'?: (_tessera_v1_JobEventWire | null);
}

export interface StreamJobEventsResponse {
  'event': (_tessera_v1_JobEvent | null);
}
