/**
 * checks: what needs no challenge — placeholder device ids, and GPUs exposed through
 * virtualization that can share or fake a card. Pure. (A GPU id reported by two workers is
 * decided by its first holder in the store: challenges.ts runChecks.)
 */
import type { TrustFlagRecord } from '../../common/trust.js';
import type { WorkerRecord } from '../../common/worker.js';

/** deviceIds lists a GPU's UUID and serial, leaving out placeholders. */
export function deviceIds(gpu: { uuid: string; serial: string }): Array<{ kind: 'uuid' | 'serial'; id: string }> {
  return ([['uuid', gpu.uuid], ['serial', gpu.serial]] as const).filter(([, id]) => !isPlaceholderId(id)).map(([kind, id]) => ({ kind, id }));
}

/** isPlaceholderId: masked or absent serials and UUIDs ("N/A", all zeros, "REDACTED") identify nothing. */
export function isPlaceholderId(id: string): boolean {
  const v = id.trim().toUpperCase();
  return v === '' || v === 'N/A' || v === '[N/A]' || v === 'REDACTED' || /^(GPU-)?[0-]+$/.test(v) || /^0X0+$/.test(v);
}



/** virtualizationFlags: a GPU that is not bare metal or a whole card passed through can be shared. */
export function virtualizationFlags(worker: WorkerRecord, nowMs: number): TrustFlagRecord[] {
  return worker.hardware.gpus
    .map((g, i) => [g, i] as const)
    .filter(([g]) => g.virtualizationMode !== 'none' && g.virtualizationMode !== 'pass-through')
    .map(([g, i]) => ({ reason: 'virtualized' as const, detail: `GPU ${i} (${g.name}) is in virtualization mode ${g.virtualizationMode}: it may be a slice of a card sold as a whole one`, atMs: nowMs }));
}
