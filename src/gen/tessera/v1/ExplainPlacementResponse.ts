// Original file: proto/tessera/v1/gateway.proto

import type { PlacementExplanationWire as _tessera_v1_PlacementExplanationWire, PlacementExplanation as _tessera_v1_PlacementExplanation } from '../../tessera/v1/PlacementExplanation.js';

export interface ExplainPlacementResponseWire {
  'summary'?: (string);
  'decisions'?: (_tessera_v1_PlacementExplanationWire)[];
}

export interface ExplainPlacementResponse {
  'summary': (string);
  'decisions': (_tessera_v1_PlacementExplanation)[];
}
