// Original file: proto/tessera/v1/agent.proto


export interface ChallengeRowWire {
  'index'?: (number);
  'values'?: (number | string)[];
}

export interface ChallengeRow {
  'index': (number);
  'values': (number)[];
}
