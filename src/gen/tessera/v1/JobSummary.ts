// Original file: proto/tessera/v1/job.proto

import type { JobStateWire as _tessera_v1_JobStateWire, JobState as _tessera_v1_JobState } from '../../tessera/v1/JobState.js';
import type { Long } from '@grpc/proto-loader';

export interface JobSummaryWire {
  'state'?: (_tessera_v1_JobStateWire);
  'succeeded'?: (number);
  'failed'?: (number);
  'cancelled'?: (number);
  'wallMs'?: (number | string | Long);
  'message'?: (string);
}

export interface JobSummary {
  'state': (_tessera_v1_JobState);
  'succeeded': (number);
  'failed': (number);
  'cancelled': (number);
  'wallMs': (number);
  'message': (string);
}
