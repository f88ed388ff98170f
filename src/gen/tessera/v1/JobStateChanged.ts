// Original file: proto/tessera/v1/job.proto

import type { JobStateWire as _tessera_v1_JobStateWire, JobState as _tessera_v1_JobState } from '../../tessera/v1/JobState.js';

export interface JobStateChangedWire {
  'state'?: (_tessera_v1_JobStateWire);
  'message'?: (string);
}

export interface JobStateChanged {
  'state': (_tessera_v1_JobState);
  'message': (string);
}
