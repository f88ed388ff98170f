/**
 * trust: a worker's standing as Tessera records it — flags with stated reasons, and the hardware
 * it was last verified with — and the rule that turns that into verified, unverified or flagged.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Hardware } from './hardware.js';

/**
 * FLAG_REASONS is the table of reasons a worker is not trusted. `dodged-challenge` names a failed
 * challenge in the reputation log (a disconnect mid-challenge; not a flag); `memory-check-failed`
 * is kept so records written before VRAM became "claimed, unproven" still read; `output-flood`:
 * its agent sent shard output past the cap the scheduler told it (a patched agent).
 */
export const FLAG_REASONS = ['duplicate-gpu', 'virtualized', 'wrong-answer', 'too-slow', 'replayed-answer', 'dodged-challenge', 'memory-check-failed', 'output-flood'] as const;
/** FlagReason is one named reason. */
export type FlagReason = (typeof FLAG_REASONS)[number];

/** TrustFlagRecord is one flag with its evidence. */
export interface TrustFlagRecord {
  reason: FlagReason;
  detail: string;
  atMs: number;
}

/** ChallengeRecord is what one device's last challenge asked and proved. */
export interface ChallengeRecord {
  atMs: number;
  /** The GPU (index in the hardware report), or -1 for the CPU. */
  gpuIndex: number;
  gpuModel: string;
  passed: boolean;
  reason: string;
  /** 2·M·N·K floating-point operations. */
  workFlops: number;
  limitMs: number;
  roundTripMs: number;
  /** The model's achievable rate on the challenge kernel (undefined for a CPU challenge). */
  claimedTflops?: number;
  /** work / limit: the least throughput a pass proves (undefined for a CPU challenge). */
  provenTflops?: number;
  device: string;
  verifyMs: number;
}

/** TrustRecord is /tessera/v1/trust/<worker>. */
export interface TrustRecord {
  workerId: string;
  flags: TrustFlagRecord[];
  /** Set when every device of this hardware passed in one challenge round. */
  verifiedHardwareHash?: string;
  verifiedAtMs?: number;
  /** GPUs (indices) that passed with the hardware of `provenHardwareHash`: what supply counts. */
  provenGpus?: number[];
  provenHardwareHash?: string;
  /** Why the worker cannot be verified, when no flag says it (no runtime, unknown model). */
  unverifiedReason?: string;
  /** The last challenge of each device, by GPU index (-1: the CPU). */
  challenges?: ChallengeRecord[];
  /** A challenge round was in flight when the worker last disconnected: challenge it at once when it returns. */
  pendingAtDisconnect?: boolean;
  /** When the worker last left commitments unopened (disconnected between committing and revealing), at most 3. */
  unopenedAtMs?: number[];
}

export const trustFlagRecordSchema: z.ZodType<TrustFlagRecord, z.ZodTypeDef, unknown> = z.object({
  reason: z.enum(FLAG_REASONS),
  detail: z.string(),
  atMs: z.number(),
});

export const challengeRecordSchema: z.ZodType<ChallengeRecord, z.ZodTypeDef, unknown> = z.object({
  atMs: z.number(),
  gpuIndex: z.number().int(),
  gpuModel: z.string(),
  passed: z.boolean(),
  reason: z.string(),
  workFlops: z.number(),
  limitMs: z.number(),
  roundTripMs: z.number(),
  claimedTflops: z.number().optional(),
  provenTflops: z.number().optional(),
  device: z.string(),
  verifyMs: z.number(),
});

/**
 * trustRecordSchema reads trust/<worker>. Everything after workerId and flags came later and is
 * optional; records from before per-device challenges carry a `lastChallenge`, which is dropped.
 */
export const trustRecordSchema: z.ZodType<TrustRecord, z.ZodTypeDef, unknown> = z.object({
  workerId: z.string().min(1),
  flags: z.array(trustFlagRecordSchema),
  verifiedHardwareHash: z.string().optional(),
  verifiedAtMs: z.number().optional(),
  provenGpus: z.array(z.number().int()).optional(),
  provenHardwareHash: z.string().optional(),
  unverifiedReason: z.string().optional(),
  challenges: z.array(challengeRecordSchema).optional(),
  pendingAtDisconnect: z.boolean().optional(),
  unopenedAtMs: z.array(z.number()).optional(),
});

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

/** provenGpuIndices are the worker's GPUs that count as supply now: each passed its own challenge with this hardware, and no flag stands. */
export function provenGpuIndices(record: TrustRecord | undefined, hardware: Hardware): Set<number> {
  if (!record || record.flags.length > 0) return new Set();
  const hash = hardwareHash(hardware);
  if (record.verifiedHardwareHash === hash) return new Set(hardware.gpus.map((_, i) => i));
  if (record.provenHardwareHash !== hash) return new Set();
  return new Set((record.provenGpus ?? []).filter((i) => i >= 0 && i < hardware.gpus.length));
}

/** trustStateOf: flagged while any flag stands; verified only for the hardware that passed. */
export function trustStateOf(record: TrustRecord | undefined, hardware: Hardware): TrustState {
  if (!record) return 'unverified';
  if (record.flags.length > 0) return 'flagged';
  return record.verifiedHardwareHash === hardwareHash(hardware) ? 'verified' : 'unverified';
}
