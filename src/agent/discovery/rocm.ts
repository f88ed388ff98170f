/**
 * rocm: AMD GPUs from `rocm-smi --showproductname --showuniqueid --showbus --showmeminfo vram
 * --showserial --showdriverversion --json`: one "cardN" object per GPU plus a "system" object.
 */
import type { Gpu } from '../../common/hardware.js';
import { parseMib, text } from './values.js';

/** RocmReport is what rocm-smi says about the machine. */
export interface RocmReport {
  gpus: Gpu[];
  driverVersion: string;
}

type Card = Record<string, string | undefined>;

/** parseRocmSmiJson reads rocm-smi's JSON; keys are matched by name, not position. */
export function parseRocmSmiJson(json: string): RocmReport {
  const doc = JSON.parse(json) as Record<string, Card>;
  const cards = Object.keys(doc)
    .filter((k) => /^card\d+$/.test(k))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const gpus = cards.map((key): Gpu => {
    const card = doc[key]!;
    const find = (pattern: RegExp): string | undefined => Object.entries(card).find(([k]) => pattern.test(k))?.[1];
    const series = text(find(/^card series$/i));
    // "Arcturus GL-XL [Instinct MI100]": the marketing name is in brackets.
    const name = /\[(.+)\]/.exec(series)?.[1] ?? (series || text(find(/^card model$/i)));
    const vramBytes = find(/^vram total memory \(b\)$/i);
    return {
      vendor: 'amd',
      uuid: text(find(/^unique id$/i)),
      name: name.startsWith('AMD') ? name : `AMD ${name}`,
      memoryTotalMib: parseMib(vramBytes, 'b') ?? 0,
      serial: text(find(/^serial number$/i)),
      pciBusId: text(find(/^pci bus$/i)),
      // rocm-smi reports no virtualization mode; an SR-IOV guest shows up as its own device id.
      virtualizationMode: 'none',
      computeCapability: '',
      migMode: 'not-supported',
      migDevices: [],
      architecture: text(find(/^gfx version$/i)),
      coreCount: 0,
    };
  });
  return { gpus, driverVersion: text(doc.system?.['Driver version']) };
}
