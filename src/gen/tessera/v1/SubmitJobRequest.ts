// Original file: proto/tessera/v1/gateway.proto

import type { JobSpecWire as _tessera_v1_JobSpecWire, JobSpec as _tessera_v1_JobSpec } from '../../tessera/v1/JobSpec.js';

export interface SubmitJobRequestWire {
  'spec'?: (_tessera_v1_JobSpecWire | null);
}

export interface SubmitJobRequest {
  'spec': (_tessera_v1_JobSpec | null);
}
