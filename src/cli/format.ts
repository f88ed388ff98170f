/**
 * format: how the CLI prints things for people.
 */
import type { Timestamp } from '../gen/google/protobuf/Timestamp.js';
import type { Worker } from '../gen/tessera/v1/Worker.js';
import type { Hardware } from '../common/hardware.js';

/**
 * printable escapes control characters (C0, DEL, C1, and the bidi overrides) as \\xNN / \\u{N}:
 * worker and GPU names are what agents claim, and a claim must not move a terminal's cursor,
 * clear its screen or disguise a row.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** table renders rows under a header with columns padded to fit; every cell made printable. */
export function table(header: string[], unsafeRows: string[][]): string {
  const rows = unsafeRows.map((r) => r.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** ago renders a past time as "3s ago". */
export function ago(ts: Timestamp | null, now = Date.now()): string {
  if (!ts) return '-';
  const seconds = Math.max(0, Math.round((now - (ts.seconds * 1000 + ts.nanos / 1e6)) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

/** gpuSummary renders "2× NVIDIA H200" or "cpu: 16 cores". */
export function gpuSummary(gpus: Array<{ name: string }>, cpuCores: number | undefined): string {
  if (gpus.length === 0) return `cpu: ${cpuCores ?? '?'} cores`;
  const counts = new Map<string, number>();
  for (const g of gpus) counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${n}× ${name}`).join(', ');
}

/** workersTable renders `tessera workers`, with each worker's trust state and flag reasons. */
export function workersTable(workers: Worker[]): string {
  return table(
    ['ID', 'NAME', 'GPUS', 'REGION', 'ONLINE', 'LAST HEARTBEAT', 'TRUST', 'SANDBOX'],
    workers.map((w) => [
      w.id,
      w.name,
      gpuSummary(w.hardware?.gpus ?? [], w.hardware?.cpu?.cores),
      w.region,
      w.revokedTime ? 'revoked' : w.online ? 'yes' : 'no',
      ago(w.lastHeartbeatTime),
      w.trust.replace('TRUST_STATE_', '').toLowerCase() + (w.flags.length ? ` (${w.flags.map((f) => f.reason).join(', ')})` : ''),
      w.isolation?.sandboxed ? 'yes' : 'NO',
    ]),
  );
}

/** hardwareText renders `tessera hardware` for a person. */
export function hardwareText(hw: Hardware): string {
  const lines = [
    `host:     ${hw.hostname} (${hw.os})`,
    `cpu:      ${hw.cpu.model}, ${hw.cpu.cores} cores, ${hw.cpu.memoryTotalMib} MiB, ${hw.cpu.arch}`,
    `source:   ${hw.discoverySource}`,
  ];
  if (hw.driverVersion) lines.push(`driver:   ${hw.driverVersion}${hw.cudaVersion ? ` (CUDA ${hw.cudaVersion})` : ''}`);
  if (hw.gpus.length === 0) lines.push('gpus:     none found');
  const rows = hw.gpus.map((g, i) => [String(i), g.name, `${g.memoryTotalMib} MiB`, g.uuid || '-', g.serial || '-', g.pciBusId || '-', g.virtualizationMode, g.computeCapability || '-', g.migMode]);
  return lines.join('\n') + '\n' + (rows.length ? '\n' + table(['#', 'GPU', 'VRAM (CLAIMED)', 'UUID', 'SERIAL', 'PCI', 'VIRT', 'CC', 'MIG'], rows) : '');
}
