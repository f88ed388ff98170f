/**
 * nvidia: NVIDIA GPUs from `nvidia-smi -q -x` (preferred), `nvidia-smi -q` (text) and
 * `nvidia-smi --query-gpu=… --format=csv` (fills compute capability). Fields are found by
 * name wherever the driver put them, with the spellings each layout uses.
 */
import type { Gpu, MigDevice } from '../../common/hardware.js';
import { computeCapabilityByName } from './compute-capability.js';
import { asList, child, parseTextTree, parseXmlTree, pick, type Tree } from './tree.js';
import { parseCount, parseMib, parseMigMode, parseVirtualizationMode, text } from './values.js';

/** NvidiaReport is what one nvidia-smi run says about the machine. */
export interface NvidiaReport {
  gpus: Gpu[];
  driverVersion: string;
  cudaVersion: string;
  /** attached_gpus as printed; may exceed gpus.length when output was cut. */
  attachedGpus: number;
}

/** parseNvidiaSmiXml reads `nvidia-smi -q -x`. */
export function parseNvidiaSmiXml(xml: string): NvidiaReport {
  const log = child(parseXmlTree(xml), ['nvidia_smi_log']);
  if (!log) throw new Error('not nvidia-smi XML: no <nvidia_smi_log> element');
  return reportFromTree(log);
}

/** parseNvidiaSmiText reads `nvidia-smi -q` (the text layout). */
export function parseNvidiaSmiText(output: string): NvidiaReport {
  const tree = parseTextTree(output);
  if (!tree.gpu && !tree.driver_version) throw new Error('not nvidia-smi -q output: no "GPU <bus id>" section');
  return reportFromTree(tree);
}

function reportFromTree(log: Tree): NvidiaReport {
  const gpus = asList(log.gpu).map(gpuFromTree);
  return {
    gpus,
    driverVersion: text(pick(log, ['driver_version'])),
    cudaVersion: text(pick(log, ['cuda_version'])),
    attachedGpus: parseCount(pick(log, ['attached_gpus'])) || gpus.length,
  };
}

function gpuFromTree(gpu: Tree): Gpu {
  const name = text(pick(gpu, ['product_name']));
  return {
    vendor: 'nvidia',
    uuid: text(pick(gpu, ['uuid', 'gpu_uuid'])),
    name,
    memoryTotalMib: parseMib(pick(gpu, ['fb_memory_usage'], ['total'])) ?? 0,
    serial: text(pick(gpu, ['serial', 'serial_number'])),
    pciBusId: text(pick(gpu, ['pci'], ['pci_bus_id', 'bus_id'])) || text(pick(gpu, ['id'])),
    virtualizationMode: parseVirtualizationMode(pick(gpu, ['gpu_virtualization_mode'], ['virtualization_mode'])),
    computeCapability: text(pick(gpu, ['compute_capability', 'compute_cap'])) || computeCapabilityByName(name),
    migMode: parseMigMode(pick(gpu, ['mig_mode'], ['current_mig', 'current'])),
    migDevices: migDevicesOf(gpu),
    architecture: text(pick(gpu, ['product_architecture'])),
    coreCount: 0,
  };
}

function migDevicesOf(gpu: Tree): MigDevice[] {
  // XML nests them in <mig_devices><mig_device>; text lists "MIG Device" sections on the GPU.
  const devices = [...asList(child(gpu, ['mig_devices'])?.mig_device), ...asList(gpu.mig_device)];
  return devices.map((device) => ({
    gpuInstanceId: parseCount(pick(device, ['gpu_instance_id'])),
    computeInstanceId: parseCount(pick(device, ['compute_instance_id'])),
    memoryTotalMib: parseMib(pick(device, ['fb_memory_usage', 'shared_fb_memory_usage'], ['total'])) ?? 0,
    multiprocessorCount: parseCount(pick(device, ['device_attributes'], ['shared'], ['multiprocessor_count'])),
  }));
}

/** QueryRow is one GPU row of `--query-gpu … --format=csv`, keyed by field name without units. */
export type QueryRow = Record<string, string>;

/** parseQueryCsv reads `nvidia-smi --query-gpu=… --format=csv[,nounits]` with its header row. */
export function parseQueryCsv(csv: string): QueryRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''));
  if (!header) return [];
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** gpuFromQueryRow builds a GPU from a CSV row alone (used when only `--query-gpu` works). */
export function gpuFromQueryRow(row: QueryRow): Gpu {
  const name = text(row.name);
  const total = parseMib(row['memory.total']);
  const parts = ['memory.used', 'memory.free', 'memory.reserved'].map((k) => parseMib(row[k]));
  return {
    vendor: 'nvidia',
    uuid: text(row.uuid),
    name,
    // Without memory.total, used + free + reserved is the same figure to within a MiB.
    memoryTotalMib: total ?? parts.reduce<number>((sum, v) => sum + (v ?? 0), 0),
    serial: text(row.serial),
    pciBusId: text(row['pci.bus_id']),
    virtualizationMode: parseVirtualizationMode(row['virtualization_mode']),
    computeCapability: text(row.compute_cap) || computeCapabilityByName(name),
    migMode: parseMigMode(row['mig.mode.current']),
    migDevices: [],
    architecture: '',
    coreCount: 0,
  };
}

/** mergeComputeCapability fills each GPU's compute capability from query rows, matched by UUID. */
export function mergeComputeCapability(gpus: Gpu[], rows: QueryRow[]): Gpu[] {
  const byUuid = new Map(rows.map((r) => [text(r.uuid), text(r.compute_cap)]));
  return gpus.map((gpu) => {
    const fromQuery = byUuid.get(gpu.uuid);
    return fromQuery ? { ...gpu, computeCapability: fromQuery } : gpu;
  });
}
