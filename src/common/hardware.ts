/**
 * hardware: the domain model of what an agent reports about its machine, and the zod schema
 * the scheduler validates every report against. Limits keep a hostile agent from storing
 * megabytes of "hardware".
 */
import { z } from 'zod';

/** MAX_GPUS_PER_WORKER bounds a report: the largest single hosts today carry 16 GPUs; 64 leaves room. */
export const MAX_GPUS_PER_WORKER = 64;
/** MAX_MIG_DEVICES_PER_GPU: an H100/H200 splits into at most 7 MIG instances. */
export const MAX_MIG_DEVICES_PER_GPU = 7;
const shortText = z.string().max(256, 'expected at most 256 characters');

export const GPU_VENDORS = ['nvidia', 'amd', 'apple'] as const;
export const VIRTUALIZATION_MODES = ['none', 'pass-through', 'vgpu', 'host-vgpu', 'host-vsga', 'other'] as const;
export const MIG_MODES = ['not-supported', 'disabled', 'enabled'] as const;

/** GpuVendor is who made the GPU. */
export type GpuVendor = (typeof GPU_VENDORS)[number];
/** VirtualizationMode is how the GPU is exposed to this OS. */
export type VirtualizationMode = (typeof VIRTUALIZATION_MODES)[number];
/** MigMode is the GPU's current Multi-Instance GPU mode. */
export type MigMode = (typeof MIG_MODES)[number];

export const migDeviceSchema = z.object({
  gpuInstanceId: z.number().int().min(0).max(1024),
  computeInstanceId: z.number().int().min(0).max(1024),
  memoryTotalMib: z.number().int().min(0).max(16 * 1024 * 1024),
  multiprocessorCount: z.number().int().min(0).max(100_000),
});

export const gpuSchema = z.object({
  vendor: z.enum(GPU_VENDORS),
  uuid: shortText,
  name: shortText.min(1, 'expected a GPU name'),
  // 16 TiB per device is far beyond any GPU shipping; larger is a lie or a bug.
  memoryTotalMib: z.number().int().min(0).max(16 * 1024 * 1024),
  serial: shortText,
  pciBusId: shortText,
  virtualizationMode: z.enum(VIRTUALIZATION_MODES),
  computeCapability: z.string().regex(/^(\d{1,2}\.\d{1,2})?$/, 'expected MAJOR.MINOR such as 9.0, or empty'),
  migMode: z.enum(MIG_MODES),
  migDevices: z.array(migDeviceSchema).max(MAX_MIG_DEVICES_PER_GPU, `expected at most ${MAX_MIG_DEVICES_PER_GPU} MIG devices`),
  architecture: shortText,
  coreCount: z.number().int().min(0).max(1_000_000),
});

export const cpuSchema = z.object({
  model: shortText,
  cores: z.number().int().min(1, 'expected at least 1 core').max(4096),
  memoryTotalMib: z.number().int().min(1).max(64 * 1024 * 1024),
  arch: shortText,
});

export const hardwareSchema = z.object({
  gpus: z.array(gpuSchema).max(MAX_GPUS_PER_WORKER, `expected at most ${MAX_GPUS_PER_WORKER} GPUs`),
  cpu: cpuSchema,
  driverVersion: shortText,
  cudaVersion: shortText,
  os: shortText,
  hostname: shortText,
  discoverySource: shortText,
});

/** MigDevice is one MIG slice. */
export type MigDevice = z.infer<typeof migDeviceSchema>;
/** Gpu is one accelerator as discovered. */
export type Gpu = z.infer<typeof gpuSchema>;
/** Cpu is the host processor and memory. */
export type Cpu = z.infer<typeof cpuSchema>;
/** Hardware is a worker's full report. */
export type Hardware = z.infer<typeof hardwareSchema>;

/** gpuModelsOf counts a worker's GPUs by model name ("NVIDIA H200" → 1). */
export function gpuModelsOf(hardware: Hardware): Map<string, number> {
  const models = new Map<string, number>();
  for (const gpu of hardware.gpus) models.set(gpu.name, (models.get(gpu.name) ?? 0) + 1);
  return models;
}

/** sameHardware compares two reports on what identifies the machine, ignoring order-free noise. */
export function sameHardware(a: Hardware, b: Hardware): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
