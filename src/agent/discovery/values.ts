/**
 * values: turning the strings GPU tools print into domain values.
 */
import type { MigMode, VirtualizationMode } from '../../common/hardware.js';

/** isAbsent is true for the placeholders tools print when a field does not apply. */
export function isAbsent(value: string | undefined): value is undefined {
  if (value === undefined) return true;
  const v = value.trim().toLowerCase();
  return v === '' || v === 'n/a' || v === '[n/a]' || v === 'not available' || v === 'not supported' || v === '[not supported]' || v === 'none';
}

/** text returns a field's value, or "" when the tool printed a placeholder. */
export function text(value: string | undefined): string {
  return isAbsent(value) ? '' : value.trim();
}

const MIB_PER_UNIT: Record<string, number> = { b: 1 / 1048576, kib: 1 / 1024, kb: 1 / 1024, mib: 1, mb: 1, gib: 1024, gb: 1024, tib: 1048576, tb: 1048576 };

/** parseMib reads "143771 MiB", "16 GB" or a bare number (taken as MiB); undefined when unreadable. */
export function parseMib(value: string | undefined, bareUnit = 'mib'): number | undefined {
  if (isAbsent(value)) return undefined;
  const match = /^\s*([\d.]+)\s*([A-Za-z]+)?\s*$/.exec(value);
  if (!match) return undefined;
  const factor = MIB_PER_UNIT[(match[2] ?? bareUnit).toLowerCase()];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}

/** parseVirtualizationMode maps nvidia-smi's words to the domain; a missing field is unknown ("other"). */
export function parseVirtualizationMode(value: string | undefined): VirtualizationMode {
  if (value === undefined) return 'other';
  switch (value.trim().toLowerCase().replace(/[\s_]+/g, '-')) {
    case 'none':
      return 'none';
    case 'pass-through':
    case 'passthrough':
      return 'pass-through';
    case 'vgpu':
      return 'vgpu';
    case 'host-vgpu':
      return 'host-vgpu';
    case 'host-vsga':
      return 'host-vsga';
    default:
      return 'other';
  }
}

/** parseMigMode maps "Enabled"/"Disabled"/"N/A". */
export function parseMigMode(value: string | undefined): MigMode {
  const v = value?.trim().toLowerCase();
  if (v === 'enabled') return 'enabled';
  if (v === 'disabled') return 'disabled';
  return 'not-supported';
}

/** parseCount reads a non-negative integer, or 0. */
export function parseCount(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
