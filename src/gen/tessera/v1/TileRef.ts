// Original file: proto/tessera/v1/agent.proto


export interface TileRefWire {
  'rowTile'?: (number);
  'colTile'?: (number);
}

export interface TileRef {
  'rowTile': (number);
  'colTile': (number);
}
