// Original file: proto/tessera/v1/gateway.proto

import type { JobWire as _tessera_v1_JobWire, Job as _tessera_v1_Job } from '../../tessera/v1/Job.js';

export interface CancelJobResponseWire {
  'job'?: (_tessera_v1_JobWire | null);
}

export interface CancelJobResponse {
  'job': (_tessera_v1_Job | null);
}
