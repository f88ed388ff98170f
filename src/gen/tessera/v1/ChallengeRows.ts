// Original file: proto/tessera/v1/agent.proto

import type { ChallengeRowWire as _tessera_v1_ChallengeRowWire, ChallengeRow as _tessera_v1_ChallengeRow } from '../../tessera/v1/ChallengeRow.js';

export interface ChallengeRowsWire {
  'challengeId'?: (string);
  'rows'?: (_tessera_v1_ChallengeRowWire)[];
  'rowHashes'?: (Buffer | Uint8Array | string)[];
}

export interface ChallengeRows {
  'challengeId': (string);
  'rows': (_tessera_v1_ChallengeRow)[];
  'rowHashes': (Buffer)[];
}
