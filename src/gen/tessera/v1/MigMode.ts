// Original file: proto/tessera/v1/worker.proto

export const MigMode = {
  MIG_MODE_UNSPECIFIED: 'MIG_MODE_UNSPECIFIED',
  MIG_MODE_NOT_SUPPORTED: 'MIG_MODE_NOT_SUPPORTED',
  MIG_MODE_DISABLED: 'MIG_MODE_DISABLED',
  MIG_MODE_ENABLED: 'MIG_MODE_ENABLED',
} as const;

export type MigModeWire =
  | 'MIG_MODE_UNSPECIFIED'
  | 0
  | 'MIG_MODE_NOT_SUPPORTED'
  | 1
  | 'MIG_MODE_DISABLED'
  | 2
  | 'MIG_MODE_ENABLED'
  | 3

export type MigMode = typeof MigMode[keyof typeof MigMode]
