// Original file: proto/tessera/v1/worker.proto

import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from '../../tessera/v1/Hardware.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';
import type { TrustStateWire as _tessera_v1_TrustStateWire, TrustState as _tessera_v1_TrustState } from '../../tessera/v1/TrustState.js';
import type { TrustFlagWire as _tessera_v1_TrustFlagWire, TrustFlag as _tessera_v1_TrustFlag } from '../../tessera/v1/TrustFlag.js';
import type { ReputationWire as _tessera_v1_ReputationWire, Reputation as _tessera_v1_Reputation } from '../../tessera/v1/Reputation.js';
import type { ChallengeSummaryWire as _tessera_v1_ChallengeSummaryWire, ChallengeSummary as _tessera_v1_ChallengeSummary } from '../../tessera/v1/ChallengeSummary.js';
import type { IsolationWire as _tessera_v1_IsolationWire, Isolation as _tessera_v1_Isolation } from '../../tessera/v1/Isolation.js';

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
  'trust'?: (_tessera_v1_TrustStateWire);
  'flags'?: (_tessera_v1_TrustFlagWire)[];
  'reputation'?: (_tessera_v1_ReputationWire | null);
  'challenges'?: (_tessera_v1_ChallengeSummaryWire)[];
  'unverifiedReason'?: (string);
  'provenGpus'?: (number);
  'isolation'?: (_tessera_v1_IsolationWire | null);
  'revokedTime'?: (_google_protobuf_TimestampWire | null);
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
  'trust': (_tessera_v1_TrustState);
  'flags': (_tessera_v1_TrustFlag)[];
  'reputation': (_tessera_v1_Reputation | null);
  'challenges': (_tessera_v1_ChallengeSummary)[];
  'unverifiedReason': (string);
  'provenGpus': (number);
  'isolation': (_tessera_v1_Isolation | null);
  'revokedTime': (_google_protobuf_Timestamp | null);
}
