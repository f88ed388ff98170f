// Original file: proto/tessera/v1/agent.proto


export interface ChallengeTileWire {
  'challengeId'?: (string);
  'rowTile'?: (number);
  'colTile'?: (number);
  'values'?: (Buffer | Uint8Array | string);
  'leaf'?: (Buffer | Uint8Array | string);
  'proof'?: (Buffer | Uint8Array | string)[];
  'error'?: (string);
}

export interface ChallengeTile {
  'challengeId': (string);
  'rowTile': (number);
  'colTile': (number);
  'values': (Buffer);
  'leaf': (Buffer);
  'proof': (Buffer)[];
  'error': (string);
}
