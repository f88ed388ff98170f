// Original file: proto/tessera/v1/agent.proto

import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from '../../tessera/v1/Hardware.js';
import type { ShardRefWire as _tessera_v1_ShardRefWire, ShardRef as _tessera_v1_ShardRef } from '../../tessera/v1/ShardRef.js';
import type { IsolationWire as _tessera_v1_IsolationWire, Isolation as _tessera_v1_Isolation } from '../../tessera/v1/Isolation.js';

export interface HelloWire {
  'workerId'?: (string);
  'hardware'?: (_tessera_v1_HardwareWire | null);
  'agentVersion'?: (string);
  'region'?: (string);
  'labels'?: ({[key: string]: string});
  'activeShards'?: (_tessera_v1_ShardRefWire)[];
  'advertiseAddress'?: (string);
  'isolation'?: (_tessera_v1_IsolationWire | null);
}

export interface Hello {
  'workerId': (string);
  'hardware': (_tessera_v1_Hardware | null);
  'agentVersion': (string);
  'region': (string);
  'labels': ({[key: string]: string});
  'activeShards': (_tessera_v1_ShardRef)[];
  'advertiseAddress': (string);
  'isolation': (_tessera_v1_Isolation | null);
}
