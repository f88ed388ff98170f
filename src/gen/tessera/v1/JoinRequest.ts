// Original file: proto/tessera/v1/agent.proto

import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from '../../tessera/v1/Hardware.js';
import type { IsolationWire as _tessera_v1_IsolationWire, Isolation as _tessera_v1_Isolation } from '../../tessera/v1/Isolation.js';

export interface JoinRequestWire {
  'joinToken'?: (string);
  'name'?: (string);
  'region'?: (string);
  'labels'?: ({[key: string]: string});
  'hardware'?: (_tessera_v1_HardwareWire | null);
  'agentVersion'?: (string);
  'isolation'?: (_tessera_v1_IsolationWire | null);
  'csrPem'?: (string);
}

export interface JoinRequest {
  'joinToken': (string);
  'name': (string);
  'region': (string);
  'labels': ({[key: string]: string});
  'hardware': (_tessera_v1_Hardware | null);
  'agentVersion': (string);
  'isolation': (_tessera_v1_Isolation | null);
  'csrPem': (string);
}
