// Original file: proto/tessera/v1/job.proto


export interface InlineFileWire {
  'path'?: (string);
  'content'?: (Buffer | Uint8Array | string);
  'mode'?: (number);
}

export interface InlineFile {
  'path': (string);
  'content': (Buffer);
  'mode': (number);
}
