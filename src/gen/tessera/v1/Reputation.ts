// Original file: proto/tessera/v1/worker.proto

import type { ReputationComponentWire as _tessera_v1_ReputationComponentWire, ReputationComponent as _tessera_v1_ReputationComponent } from '../../tessera/v1/ReputationComponent.js';

export interface ReputationWire {
  'score'?: (number | string);
  'components'?: (_tessera_v1_ReputationComponentWire)[];
  'events'?: (number);
}

export interface Reputation {
  'score': (number);
  'components': (_tessera_v1_ReputationComponent)[];
  'events': (number);
}
