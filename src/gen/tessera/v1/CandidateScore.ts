// Original file: proto/tessera/v1/job.proto


export interface CandidateScoreWire {
  'scorer'?: (string);
  'score'?: (number | string);
}

export interface CandidateScore {
  'scorer': (string);
  'score': (number);
}
