/**
 * apple: Apple Silicon and Mac GPUs from `system_profiler -json SPDisplaysDataType
 * SPHardwareDataType`. Apple GPUs share the machine's unified memory, so a GPU's memory is the
 * host's physical memory; a discrete or virtual GPU reports its own VRAM.
 */
import type { Gpu } from '../../common/hardware.js';
import { parseCount, parseMib, text } from './values.js';

/** AppleReport is what system_profiler says about the machine. */
export interface AppleReport {
  gpus: Gpu[];
  chip: string;
  memoryMib: number | undefined;
}

interface DisplayEntry {
  _name?: string;
  sppci_model?: string;
  sppci_cores?: string;
  sppci_device_type?: string;
  spdisplays_vram?: string;
  spdisplays_vram_shared?: string;
  'spdisplays_device-id'?: string;
}

interface HardwareEntry {
  chip_type?: string;
  physical_memory?: string;
  serial_number?: string;
}

/** parseSystemProfilerJson reads one or more system_profiler JSON documents (displays, hardware). */
export function parseSystemProfilerJson(...documents: string[]): AppleReport {
  let displays: DisplayEntry[] = [];
  let hardware: HardwareEntry | undefined;
  for (const doc of documents) {
    const parsed = JSON.parse(doc) as { SPDisplaysDataType?: DisplayEntry[]; SPHardwareDataType?: HardwareEntry[] };
    displays = displays.concat(parsed.SPDisplaysDataType ?? []);
    hardware ??= parsed.SPHardwareDataType?.[0];
  }
  const memoryMib = parseMib(hardware?.physical_memory);
  const gpus = displays
    .filter((d) => d.sppci_device_type === undefined || d.sppci_device_type === 'spdisplays_gpu')
    .map((d, index): Gpu => {
      const name = text(d.sppci_model ?? d._name);
      const vram = parseMib(d.spdisplays_vram ?? d.spdisplays_vram_shared);
      return {
        vendor: name.startsWith('Apple') ? 'apple' : 'amd',
        uuid: '',
        name,
        memoryTotalMib: vram ?? memoryMib ?? 0,
        serial: '',
        pciBusId: `display-${index}`,
        virtualizationMode: /paravirtual|virtual/i.test(name) ? 'other' : 'none',
        computeCapability: '',
        migMode: 'not-supported',
        migDevices: [],
        architecture: '',
        coreCount: parseCount(d.sppci_cores),
      };
    });
  return { gpus, chip: text(hardware?.chip_type), memoryMib };
}
