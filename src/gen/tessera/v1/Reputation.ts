// Original file: proto/tessera/v1/worker.proto

import type { ReputationComponentWire as _tessera_v1_ReputationComponentWire, ReputationComponent as _tessera_v1_ReputationComponent } from '../../tessera/v1/ReputationComponent.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';
import type { UptimeWindowWire as _tessera_v1_UptimeWindowWire, UptimeWindow as _tessera_v1_UptimeWindow } from '../../tessera/v1/UptimeWindow.js';

export interface ReputationWire {
  'score'?: (number | string);
  'components'?: (_tessera_v1_ReputationComponentWire)[];
  'events'?: (number);
  'asOf'?: (_google_protobuf_TimestampWire | null);
  'record'?: (number | string);
  'tenureDays'?: (number | string);
  'uptime'?: (_tessera_v1_UptimeWindowWire)[];
}

export interface Reputation {
  'score': (number);
  'components': (_tessera_v1_ReputationComponent)[];
  'events': (number);
  'asOf': (_google_protobuf_Timestamp | null);
  'record': (number);
  'tenureDays': (number);
  'uptime': (_tessera_v1_UptimeWindow)[];
}
