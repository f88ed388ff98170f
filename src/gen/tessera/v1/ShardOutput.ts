// Original file: proto/tessera/v1/agent.proto


export interface ShardOutputWire {
  'stream'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'truncated'?: (boolean);
}

export interface ShardOutput {
  'stream': (string);
  'data': (Buffer);
  'truncated': (boolean);
}
