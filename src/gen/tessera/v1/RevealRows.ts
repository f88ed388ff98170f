// Original file: proto/tessera/v1/agent.proto


export interface RevealRowsWire {
  'challengeId'?: (string);
  'rows'?: (number)[];
}

export interface RevealRows {
  'challengeId': (string);
  'rows': (number)[];
}
