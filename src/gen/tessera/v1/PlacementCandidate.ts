// Original file: proto/tessera/v1/job.proto

import type { CandidateScoreWire as _tessera_v1_CandidateScoreWire, CandidateScore as _tessera_v1_CandidateScore } from '../../tessera/v1/CandidateScore.js';

export interface PlacementCandidateWire {
  'workerId'?: (string);
  'rejectedBy'?: (string);
  'scores'?: (_tessera_v1_CandidateScoreWire)[];
  'total'?: (number | string);
  'selected'?: (boolean);
}

export interface PlacementCandidate {
  'workerId': (string);
  'rejectedBy': (string);
  'scores': (_tessera_v1_CandidateScore)[];
  'total': (number);
  'selected': (boolean);
}
