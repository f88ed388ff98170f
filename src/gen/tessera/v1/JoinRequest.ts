// Original file: proto/tessera/v1/agent.proto

import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from '../../tessera/v1/Hardware.js';

export interface JoinRequestWire {
  'joinToken'?: (string);
  'name'?: (string);
  'region'?: (string);
  'labels'?: ({[key: string]: string});
  'hardware'?: (_tessera_v1_HardwareWire | null);
  'agentVersion'?: (string);
}

export interface JoinRequest {
  'joinToken': (string);
  'name': (string);
  'region': (string);
  'labels': ({[key: string]: string});
  'hardware': (_tessera_v1_Hardware | null);
  'agentVersion': (string);
}
