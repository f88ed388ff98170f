// Original file: proto/tessera/v1/job.proto

import type { EntrypointWire as _tessera_v1_EntrypointWire, Entrypoint as _tessera_v1_Entrypoint } from '../../tessera/v1/Entrypoint.js';
import type { ResourcesWire as _tessera_v1_ResourcesWire, Resources as _tessera_v1_Resources } from '../../tessera/v1/Resources.js';
import type { GangPartitionWire as _tessera_v1_GangPartitionWire, GangPartition as _tessera_v1_GangPartition } from '../../tessera/v1/GangPartition.js';
import type { IndependentPartitionWire as _tessera_v1_IndependentPartitionWire, IndependentPartition as _tessera_v1_IndependentPartition } from '../../tessera/v1/IndependentPartition.js';

export interface JobSpecWire {
  'name'?: (string);
  'entrypoint'?: (_tessera_v1_EntrypointWire | null);
  'resources'?: (_tessera_v1_ResourcesWire | null);
  'timeoutSeconds'?: (number);
  'maxAttempts'?: (number);
  'priority'?: (number);
  'regions'?: (string)[];
  'labels'?: ({[key: string]: string});
  'gang'?: (_tessera_v1_GangPartitionWire | null);
  'independent'?: (_tessera_v1_IndependentPartitionWire | null);
  'requireVerified'?: (boolean);
  'minReputation'?: (number | string);
  'minUptime_30d'?: (number | string);
  'allowUnsandboxed'?: (boolean);
  'partition'?: "gang"|"independent";
}

export interface JobSpec {
  'name': (string);
  'entrypoint': (_tessera_v1_Entrypoint | null);
  'resources': (_tessera_v1_Resources | null);
  'timeoutSeconds': (number);
  'maxAttempts': (number);
  'priority': (number);
  'regions': (string)[];
  'labels': ({[key: string]: string});
  'gang'?: (_tessera_v1_GangPartition | null);
  'independent'?: (_tessera_v1_IndependentPartition | null);
  'requireVerified': (boolean);
  'minReputation': (number);
  'minUptime_30d': (number);
  'allowUnsandboxed': (boolean);
  'partition'?: "gang"|"independent";
}
