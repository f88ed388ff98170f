// Original file: proto/tessera/v1/gateway.proto

import type { JobWire as _tessera_v1_JobWire, Job as _tessera_v1_Job } from '../../tessera/v1/Job.js';

export interface ListJobsResponseWire {
  'jobs'?: (_tessera_v1_JobWire)[];
  'nextPageToken'?: (string);
}

export interface ListJobsResponse {
  'jobs': (_tessera_v1_Job)[];
  'nextPageToken': (string);
}
