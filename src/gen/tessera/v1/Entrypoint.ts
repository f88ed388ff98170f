// Original file: proto/tessera/v1/job.proto

import type { InlineFileWire as _tessera_v1_InlineFileWire, InlineFile as _tessera_v1_InlineFile } from '../../tessera/v1/InlineFile.js';

export interface EntrypointWire {
  'command'?: (string);
  'args'?: (string)[];
  'env'?: ({[key: string]: string});
  'workingDir'?: (string);
  'files'?: (_tessera_v1_InlineFileWire)[];
}

export interface Entrypoint {
  'command': (string);
  'args': (string)[];
  'env': ({[key: string]: string});
  'workingDir': (string);
  'files': (_tessera_v1_InlineFile)[];
}
