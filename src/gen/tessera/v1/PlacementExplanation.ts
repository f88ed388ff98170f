// Original file: proto/tessera/v1/job.proto

import type { PlacementCandidateWire as _tessera_v1_PlacementCandidateWire, PlacementCandidate as _tessera_v1_PlacementCandidate } from '../../tessera/v1/PlacementCandidate.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';

export interface PlacementExplanationWire {
  'shardIndex'?: (number);
  'attempt'?: (number);
  'summary'?: (string);
  'workersTotal'?: (number);
  'workersEvaluated'?: (number);
  'filtered'?: ({[key: string]: number});
  'candidates'?: (_tessera_v1_PlacementCandidateWire)[];
  'time'?: (_google_protobuf_TimestampWire | null);
}

export interface PlacementExplanation {
  'shardIndex': (number);
  'attempt': (number);
  'summary': (string);
  'workersTotal': (number);
  'workersEvaluated': (number);
  'filtered': ({[key: string]: number});
  'candidates': (_tessera_v1_PlacementCandidate)[];
  'time': (_google_protobuf_Timestamp | null);
}
