// Original file: proto/tessera/v1/worker.proto

import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from '../../tessera/v1/Hardware.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';

export interface WorkerWire {
  'id'?: (string);
  'name'?: (string);
  'region'?: (string);
  'labels'?: ({[key: string]: string});
  'hardware'?: (_tessera_v1_HardwareWire | null);
  'online'?: (boolean);
  'lastHeartbeatTime'?: (_google_protobuf_TimestampWire | null);
  'joinedTime'?: (_google_protobuf_TimestampWire | null);
  'connectedTime'?: (_google_protobuf_TimestampWire | null);
  'agentVersion'?: (string);
}

export interface Worker {
  'id': (string);
  'name': (string);
  'region': (string);
  'labels': ({[key: string]: string});
  'hardware': (_tessera_v1_Hardware | null);
  'online': (boolean);
  'lastHeartbeatTime': (_google_protobuf_Timestamp | null);
  'joinedTime': (_google_protobuf_Timestamp | null);
  'connectedTime': (_google_protobuf_Timestamp | null);
  'agentVersion': (string);
}
