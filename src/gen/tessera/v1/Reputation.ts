// Original file: proto/tessera/v1/worker.proto

import type { ReputationComponentWire as _tessera_v1_ReputationComponentWire, ReputationComponent as _tessera_v1_ReputationComponent } from '../../tessera/v1/ReputationComponent.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';

export interface ReputationWire {
  'score'?: (number | string);
  'components'?: (_tessera_v1_ReputationComponentWire)[];
  'events'?: (number);
  'asOf'?: (_google_protobuf_TimestampWire | null);
}

export interface Reputation {
  'score': (number);
  'components': (_tessera_v1_ReputationComponent)[];
  'events': (number);
  'asOf': (_google_protobuf_Timestamp | null);
}
