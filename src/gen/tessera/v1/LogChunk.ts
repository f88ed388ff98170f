// Original file: proto/tessera/v1/job.proto


export interface LogChunkWire {
  'index'?: (number);
  'attempt'?: (number);
  'stream'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'truncated'?: (boolean);
  'note'?: (string);
}

export interface LogChunk {
  'index': (number);
  'attempt': (number);
  'stream': (string);
  'data': (Buffer);
  'truncated': (boolean);
  'note': (string);
}
