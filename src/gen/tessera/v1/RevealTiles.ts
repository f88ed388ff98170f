// Original file: proto/tessera/v1/agent.proto

import type { TileRefWire as _tessera_v1_TileRefWire, TileRef as _tessera_v1_TileRef } from '../../tessera/v1/TileRef.js';

export interface RevealTilesWire {
  'challengeId'?: (string);
  'tiles'?: (_tessera_v1_TileRefWire)[];
}

export interface RevealTiles {
  'challengeId': (string);
  'tiles': (_tessera_v1_TileRef)[];
}
