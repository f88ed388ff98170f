// Original file: proto/tessera/v1/worker.proto

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';

export interface TrustFlagWire {
  'reason'?: (string);
  'detail'?: (string);
  'time'?: (_google_protobuf_TimestampWire | null);
}

export interface TrustFlag {
  'reason': (string);
  'detail': (string);
  'time': (_google_protobuf_Timestamp | null);
}
