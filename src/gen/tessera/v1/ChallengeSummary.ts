// Original file: proto/tessera/v1/worker.proto

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';

export interface ChallengeSummaryWire {
  'time'?: (_google_protobuf_TimestampWire | null);
  'gpuIndex'?: (number);
  'gpuModel'?: (string);
  'passed'?: (boolean);
  'reason'?: (string);
  'workFlops'?: (number | string);
  'limitMs'?: (number);
  'roundTripMs'?: (number);
  'claimedTflops'?: (number | string);
  'provenTflops'?: (number | string);
  'device'?: (string);
  'verifyMs'?: (number | string);
}

export interface ChallengeSummary {
  'time': (_google_protobuf_Timestamp | null);
  'gpuIndex': (number);
  'gpuModel': (string);
  'passed': (boolean);
  'reason': (string);
  'workFlops': (number);
  'limitMs': (number);
  'roundTripMs': (number);
  'claimedTflops': (number);
  'provenTflops': (number);
  'device': (string);
  'verifyMs': (number);
}
