/**
 * trust: a worker's standing as Tessera records it — flags with stated reasons, and the hardware
 * it was last verified with — and the rule that turns that into verified, unverified or flagged.
 */
import { createHash } from 'node:crypto';
import type { Hardware } from './hardware.js';

/** FLAG_REASONS is the table of reasons a worker is not trusted. */
export const FLAG_REASONS = ['duplicate-gpu', 'virtualized', 'wrong-answer', 'too-slow', 'replayed-answer', 'memory-check-failed'] as const;
/** FlagReason is one named reason. */
export type FlagReason = (typeof FLAG_REASONS)[number];

/** TrustFlagRecord is one flag with its evidence. */
export interface TrustFlagRecord {
  reason: FlagReason;
  detail: string;
  atMs: number;
}

/** ChallengeRecord is what the last challenge showed. */
export interface ChallengeRecord {
  atMs: number;
  n: number;
  precision: string;
  gpuIndex: number;
  device: string;
  roundTripMs: number;
  reportedComputeMs: number;
  verifyMs: number;
  limitMs: number;
  passed: boolean;
  reason: string;
}

/** TrustRecord is /tessera/v1/trust/<worker>. */
export interface TrustRecord {
  workerId: string;
  flags: TrustFlagRecord[];
  verifiedHardwareHash?: string;
  verifiedAtMs?: number;
  lastChallenge?: ChallengeRecord;
}

/** TrustState is what supply counts and placement filters read. */
export type TrustState = 'unverified' | 'verified' | 'flagged';

/** hardwareHash fingerprints what a worker claims (GPUs, CPU), so a change after verification is seen. */
export function hardwareHash(hardware: Hardware): string {
  const claim = {
    gpus: hardware.gpus.map((g) => [g.vendor, g.uuid, g.name, g.memoryTotalMib, g.serial, g.pciBusId, g.virtualizationMode, g.migMode]),
    cpu: [hardware.cpu.model, hardware.cpu.cores, hardware.cpu.memoryTotalMib, hardware.cpu.arch],
  };
  return createHash('sha256').update(JSON.stringify(claim)).digest('hex');
}

/** trustStateOf: flagged while any flag stands; verified only for the hardware that passed. */
export function trustStateOf(record: TrustRecord | undefined, hardware: Hardware): TrustState {
  if (!record) return 'unverified';
  if (record.flags.length > 0) return 'flagged';
  return record.verifiedHardwareHash === hardwareHash(hardware) ? 'verified' : 'unverified';
}
