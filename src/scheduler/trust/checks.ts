/**
 * checks: flags that need no challenge — the same GPU on two online workers, and GPUs exposed
 * through virtualization that can share or fake a card. Pure.
 */
import type { TrustFlagRecord } from '../../common/trust.js';
import type { WorkerRecord } from '../../common/worker.js';

/** placeholder serials and UUIDs (masked or absent) identify nothing. */
function meaningful(id: string): boolean {
  const v = id.trim().toUpperCase();
  return v !== '' && v !== 'N/A' && v !== 'REDACTED' && !/^(GPU-)?[0-]+$/.test(v) && !/^0X0+$/.test(v);
}

/** duplicateFlags finds GPU UUIDs or serials reported by more than one online worker. */
export function duplicateFlags(online: WorkerRecord[], nowMs: number): Map<string, TrustFlagRecord[]> {
  const owners = new Map<string, Set<string>>();
  for (const w of online) {
    for (const g of w.hardware.gpus) {
      for (const [kind, id] of [['uuid', g.uuid], ['serial', g.serial]] as const) {
        if (!meaningful(id)) continue;
        const key = `${kind}:${id}`;
        if (!owners.has(key)) owners.set(key, new Set());
        owners.get(key)!.add(w.id);
      }
    }
  }
  const flags = new Map<string, TrustFlagRecord[]>();
  for (const [key, workers] of owners) {
    if (workers.size < 2) continue;
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    for (const w of workers) {
      const others = [...workers].filter((o) => o !== w).join(', ');
      const list = flags.get(w) ?? [];
      list.push({ reason: 'duplicate-gpu', detail: `duplicate GPU: ${kind} ${id} is also reported by ${others}`, atMs: nowMs });
      flags.set(w, list);
    }
  }
  return flags;
}

/** virtualizationFlags: a GPU that is not bare metal or a whole card passed through can be shared. */
export function virtualizationFlags(worker: WorkerRecord, nowMs: number): TrustFlagRecord[] {
  return worker.hardware.gpus
    .map((g, i) => [g, i] as const)
    .filter(([g]) => g.virtualizationMode !== 'none' && g.virtualizationMode !== 'pass-through')
    .map(([g, i]) => ({ reason: 'virtualized' as const, detail: `GPU ${i} (${g.name}) is in virtualization mode ${g.virtualizationMode}: it may be a slice of a card sold as a whole one`, atMs: nowMs }));
}
