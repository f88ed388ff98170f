// Original file: proto/tessera/v1/agent.proto

import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from '../../tessera/v1/Hardware.js';
import type { ShardRefWire as _tessera_v1_ShardRefWire, ShardRef as _tessera_v1_ShardRef } from '../../tessera/v1/ShardRef.js';

export interface HelloWire {
  'workerId'?: (string);
  'hardware'?: (_tessera_v1_HardwareWire | null);
  'agentVersion'?: (string);
  'region'?: (string);
  'labels'?: ({[key: string]: string});
  'activeShards'?: (_tessera_v1_ShardRefWire)[];
  'advertiseAddress'?: (string);
}

export interface Hello {
  'workerId': (string);
  'hardware': (_tessera_v1_Hardware | null);
  'agentVersion': (string);
  'region': (string);
  'labels': ({[key: string]: string});
  'activeShards': (_tessera_v1_ShardRef)[];
  'advertiseAddress': (string);
}
