// Original file: proto/tessera/v1/worker.proto

export const TrustState = {
  TRUST_STATE_UNSPECIFIED: 'TRUST_STATE_UNSPECIFIED',
  TRUST_STATE_UNVERIFIED: 'TRUST_STATE_UNVERIFIED',
  TRUST_STATE_VERIFIED: 'TRUST_STATE_VERIFIED',
  TRUST_STATE_FLAGGED: 'TRUST_STATE_FLAGGED',
} as const;

export type TrustStateWire =
  | 'TRUST_STATE_UNSPECIFIED'
  | 0
  | 'TRUST_STATE_UNVERIFIED'
  | 1
  | 'TRUST_STATE_VERIFIED'
  | 2
  | 'TRUST_STATE_FLAGGED'
  | 3

export type TrustState = typeof TrustState[keyof typeof TrustState]
