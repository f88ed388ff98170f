// Original file: proto/tessera/v1/agent.proto


export interface ComputeChallengeWire {
  'challengeId'?: (string);
  'seed'?: (Buffer | Uint8Array | string);
  'precision'?: (string);
  'gpuIndex'?: (number);
  'deadlineMs'?: (number);
  'inner'?: (number);
  'tileRows'?: (number);
  'tileCols'?: (number);
  'rowTiles'?: (number);
  'colTiles'?: (number);
  'leafBands'?: (number);
  'gpuUuid'?: (string);
}

export interface ComputeChallenge {
  'challengeId': (string);
  'seed': (Buffer);
  'precision': (string);
  'gpuIndex': (number);
  'deadlineMs': (number);
  'inner': (number);
  'tileRows': (number);
  'tileCols': (number);
  'rowTiles': (number);
  'colTiles': (number);
  'leafBands': (number);
  'gpuUuid': (string);
}
