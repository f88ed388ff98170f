/**
 * gpu-catalog: the GPU families a job may ask for ("H100", "RTX 4090"), and how a worker's
 * reported GPU name maps to one. A job naming a family outside this list is refused with the
 * list, so a typo ("H10") is an error rather than a job that never runs.
 */

/** GpuFamily is one model line a job can request. */
export interface GpuFamily {
  name: string;
  pattern: RegExp;
}

/** GPU_FAMILIES: most specific first, matched against `nvidia-smi`/`rocm-smi`/`system_profiler` names. */
export const GPU_FAMILIES: GpuFamily[] = [
  { name: 'B200', pattern: /\bB200\b/i },
  { name: 'H200', pattern: /\bH200\b/i },
  { name: 'H100', pattern: /\bH100\b/i },
  { name: 'A100', pattern: /\bA100\b/i },
  { name: 'L40S', pattern: /\bL40S\b/i },
  { name: 'L40', pattern: /\bL40\b/i },
  { name: 'L4', pattern: /\bL4\b/i },
  { name: 'A10G', pattern: /\bA10G\b/i },
  { name: 'A10', pattern: /\bA10\b/i },
  { name: 'V100', pattern: /\bV100\b/i },
  { name: 'T4', pattern: /\bT4\b/i },
  { name: 'P100', pattern: /\bP100\b/i },
  { name: 'RTX 5090', pattern: /RTX 5090/i },
  { name: 'RTX 4090', pattern: /RTX 4090/i },
  { name: 'RTX 4080', pattern: /RTX 4080/i },
  { name: 'RTX 3090', pattern: /RTX 3090/i },
  { name: 'RTX 3080', pattern: /RTX 3080/i },
  { name: 'RTX 2080', pattern: /RTX 2080/i },
  { name: 'MI300X', pattern: /MI300X/i },
  { name: 'MI250', pattern: /MI250/i },
  { name: 'MI100', pattern: /MI100/i },
  { name: 'M1', pattern: /Apple M1\b/i },
  { name: 'M2', pattern: /Apple M2\b/i },
  { name: 'M3', pattern: /Apple M3\b/i },
  { name: 'M4', pattern: /Apple M4\b/i },
];

const BY_NAME = new Map(GPU_FAMILIES.map((f) => [f.name.toLowerCase(), f]));

/** findFamily resolves a requested family name, case-insensitively. */
export function findFamily(name: string): GpuFamily | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** familyOf names the family of a reported GPU, or undefined for one outside the catalogue. */
export function familyOf(gpuName: string): string | undefined {
  return GPU_FAMILIES.find((f) => f.pattern.test(gpuName))?.name;
}
