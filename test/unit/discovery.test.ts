import { describe, expect, it } from 'vitest';
import { parseSystemProfilerJson } from '../../src/agent/discovery/apple.js';
import { gpuFromQueryRow, mergeComputeCapability, parseNvidiaSmiText, parseNvidiaSmiXml, parseQueryCsv } from '../../src/agent/discovery/nvidia.js';
import { parseRocmSmiJson } from '../../src/agent/discovery/rocm.js';
import { hardwareSchema, gpuSchema } from '../../src/common/hardware.js';
import { captureSection, fixture } from '../support/fixtures.js';


interface Expected {
  count: number;
  name: string;
  uuid: string;
  memoryTotalMib: number;
  serial: string;
  pciBusId: string;
  virtualizationMode: string;
  computeCapability: string;
  migMode: string;
  migDevices?: number;
  driverVersion: string;
}

const XML_CASES: Array<[string, Expected]> = [
  ['nvidia-smi/h200/nvidia-smi-q.xml', { count: 1, name: 'NVIDIA H200', uuid: 'GPU-930ea816-c446-2969-4661-c22fcd35a1d9', memoryTotalMib: 143771, serial: '1654124008041', pciBusId: '00000000:00:06.0', virtualizationMode: 'pass-through', computeCapability: '9.0', migMode: 'disabled', driverVersion: '580.159.04' }],
  ['nvidia-smi/h200-busy/busy-nvidia-smi-q.xml', { count: 1, name: 'NVIDIA H200', uuid: 'GPU-da08b34e-7968-73ba-4744-47a4feb70551', memoryTotalMib: 143771, serial: '1653724064131', pciBusId: '00000000:00:06.0', virtualizationMode: 'pass-through', computeCapability: '9.0', migMode: 'disabled', driverVersion: '580.159.04' }],
  ['gpu-discovery/netdata/a100-sxm4-mig.xml', { count: 1, name: 'NVIDIA A100-SXM4-40GB', uuid: 'GPU-27b94a00-ed54-5c24-b1fd-1054085de32a', memoryTotalMib: 40960, serial: '1324321002473', pciBusId: '00000000:00:04.0', virtualizationMode: 'pass-through', computeCapability: '8.0', migMode: 'enabled', migDevices: 2, driverVersion: '510.47.03' }],
  ['gpu-discovery/netdata/rtx-2080-win.xml', { count: 1, name: 'NVIDIA GeForce RTX 2080', uuid: 'GPU-fbd55ed4-1eec-4423-0a47-ad594b4333e3', memoryTotalMib: 8192, serial: '', pciBusId: '00000000:0A:00.0', virtualizationMode: 'none', computeCapability: '7.5', migMode: 'not-supported', driverVersion: '516.59' }],
  ['gpu-discovery/netdata/rtx-4090-driver-535.xml', { count: 1, name: 'NVIDIA GeForce RTX 4090', uuid: 'GPU-71d1acc2-662d-2166-bf9f-65272d2fc437', memoryTotalMib: 24564, serial: '', pciBusId: '00000000:84:00.0', virtualizationMode: 'none', computeCapability: '8.9', migMode: 'not-supported', driverVersion: '535.86.05' }],
  ['gpu-discovery/netdata/tesla-p100.xml', { count: 1, name: 'Tesla P100-PCIE-16GB', uuid: 'GPU-d3da8716-eaab-75db-efc1-60e88e1cd55e', memoryTotalMib: 16384, serial: '0324217145110', pciBusId: '00000000:00:04.0', virtualizationMode: 'pass-through', computeCapability: '6.0', migMode: 'not-supported', driverVersion: '510.47.03' }],
  ['gpu-discovery/telegraf/a100-sxm4-v12.xml', { count: 1, name: 'NVIDIA A100-SXM4-80GB', uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298', memoryTotalMib: 81920, serial: '1650522003820', pciBusId: '00000000:01:00.0', virtualizationMode: 'none', computeCapability: '8.0', migMode: 'enabled', migDevices: 4, driverVersion: '535.54.03' }],
  ['gpu-discovery/telegraf/a10g.xml', { count: 1, name: 'NVIDIA A10G', uuid: 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94', memoryTotalMib: 23028, serial: '0000000000000', pciBusId: '00000000:00:1E.0', virtualizationMode: 'pass-through', computeCapability: '8.6', migMode: 'not-supported', driverVersion: '515.105.01' }],
  ['gpu-discovery/telegraf/rtx-3080-v13.xml', { count: 1, name: 'NVIDIA GeForce RTX 3080', uuid: 'GPU-19d6d965-2acc-f646-00f8-4c76979aabb4', memoryTotalMib: 10240, serial: 'REDACTED', pciBusId: '00000000:0C:00.0', virtualizationMode: 'none', computeCapability: '8.6', migMode: 'not-supported', driverVersion: '595.58.03' }],
  ['gpu-discovery/telegraf/tesla-t4.xml', { count: 1, name: 'Tesla T4', uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a', memoryTotalMib: 15360, serial: '0000000000000', pciBusId: '00000000:00:1E.0', virtualizationMode: 'pass-through', computeCapability: '7.5', migMode: 'not-supported', driverVersion: '515.105.01' }],
];

function expectGpu(report: ReturnType<typeof parseNvidiaSmiXml>, expected: Expected): void {
  expect(report.gpus).toHaveLength(expected.count);
  const gpu = report.gpus[0]!;
  expect(gpu).toMatchObject({
    name: expected.name,
    uuid: expected.uuid,
    memoryTotalMib: expected.memoryTotalMib,
    serial: expected.serial,
    pciBusId: expected.pciBusId,
    virtualizationMode: expected.virtualizationMode,
    computeCapability: expected.computeCapability,
    migMode: expected.migMode,
  });
  expect(gpu.migDevices).toHaveLength(expected.migDevices ?? 0);
  expect(report.driverVersion).toBe(expected.driverVersion);
  // Whatever the parser returns must pass the scheduler's own validation.
  for (const g of report.gpus) expect(gpuSchema.safeParse(g).success).toBe(true);
}

describe('nvidia-smi -q -x (XML) from real GPUs', () => {
  it.each(XML_CASES)('%s parses to the GPUs it describes', (file, expected) => {
    expectGpu(parseNvidiaSmiXml(fixture(file)), expected);
  });

  it('keeps the GPU total, not a MIG slice, when MIG devices come first in the file', () => {
    const report = parseNvidiaSmiXml(fixture('gpu-discovery/netdata/a100-sxm4-mig.xml'));
    expect(report.gpus[0]!.memoryTotalMib).toBe(40960);
    expect(report.gpus[0]!.migDevices.map((d) => d.memoryTotalMib)).toEqual([19968, 19968]);
    expect(report.gpus[0]!.migDevices[0]!.multiprocessorCount).toBe(42);
  });

  it('reports attached_gpus even when the file holds fewer <gpu> elements (trimmed 4 × A100)', () => {
    const report = parseNvidiaSmiXml(fixture('gpu-discovery/telegraf/a100-sxm4-v12.xml'));
    expect(report.attachedGpus).toBe(4);
    expect(report.gpus).toHaveLength(1);
  });
});

describe('nvidia-smi -q (text) from real GPUs', () => {
  it('reads the H200 text report to the same GPU as its XML report', () => {
    const text = parseNvidiaSmiText(fixture('nvidia-smi/h200/nvidia-smi-q.txt'));
    const xml = parseNvidiaSmiXml(fixture('nvidia-smi/h200/nvidia-smi-q.xml'));
    expect(text.gpus).toEqual(xml.gpus);
  });

  it('reads 8 × A100 on an Azure VM with non-zero PCI domains', () => {
    const report = parseNvidiaSmiText(fixture('gpu-discovery/azhpc-diagnostics/nvidia-smi-q.out'));
    expect(report.gpus).toHaveLength(8);
    expect(report.driverVersion).toBe('460.32.03');
    expect(report.cudaVersion).toBe('11.2');
    expect(new Set(report.gpus.map((g) => g.uuid)).size).toBe(8);
    expect(report.gpus.map((g) => g.pciBusId)).toContain('0000000E:00:00.0');
    for (const gpu of report.gpus) {
      expect(gpu).toMatchObject({ name: 'A100-SXM4-40GB', memoryTotalMib: 40536, virtualizationMode: 'pass-through', migMode: 'disabled', computeCapability: '8.0' });
    }
    expect(report.gpus[0]).toMatchObject({ uuid: 'GPU-b01e9f90-c60c-4ad1-2052-154833662357', serial: '1323120035212', pciBusId: '00000001:00:00.0' });
  });

  it('reads an H100 split into four MIG slices (driver 590)', () => {
    const capture = fixture('gpu-discovery/nvidia_gpu_exporter/linux-x86_64__nvidia-h100-mig__590.48.01.txt');
    const report = parseNvidiaSmiText(captureSection(capture, 'nvidia-smi -q'));
    expect(report.gpus).toHaveLength(1);
    expect(report.gpus[0]).toMatchObject({ name: 'NVIDIA H100 80GB HBM3', memoryTotalMib: 81559, migMode: 'enabled', pciBusId: '00000000:00:09.0', virtualizationMode: 'pass-through', computeCapability: '9.0', architecture: 'Hopper' });
    expect(report.gpus[0]!.migDevices.map((d) => d.memoryTotalMib)).toEqual([40448, 20096, 9984, 9984]);
    expect(report.driverVersion).toBe('590.48.01');
  });

  it('reads an L40S in a pass-through VM (driver 595)', () => {
    const capture = fixture('gpu-discovery/nvidia_gpu_exporter/linux-x86_64__nvidia-l40s__595.80.txt');
    const report = parseNvidiaSmiText(captureSection(capture, 'nvidia-smi -q'));
    expect(report.gpus[0]).toMatchObject({ name: 'NVIDIA L40S', memoryTotalMib: 46068, virtualizationMode: 'pass-through', migMode: 'not-supported', computeCapability: '8.9' });
    expect(report.driverVersion).toBe('595.80');
  });
});

describe('nvidia-smi --query-gpu CSV', () => {
  it('takes compute capability from the H200 query and merges it by UUID', () => {
    const rows = parseQueryCsv(fixture('nvidia-smi/h200/nvidia-smi-query.csv'));
    expect(rows[0]).toMatchObject({ uuid: 'GPU-930ea816-c446-2969-4661-c22fcd35a1d9', compute_cap: '9.0', 'memory.total': '143771 MiB' });
    const xml = parseNvidiaSmiXml(fixture('nvidia-smi/h200/nvidia-smi-q.xml'));
    const merged = mergeComputeCapability([{ ...xml.gpus[0]!, computeCapability: '' }], rows);
    expect(merged[0]!.computeCapability).toBe('9.0');
    expect(gpuFromQueryRow(rows[0]!)).toMatchObject({ name: 'NVIDIA H200', memoryTotalMib: 143771, serial: '1654124008041', pciBusId: '00000000:00:06.0' });
  });

  it('derives a P100 total from used + free + reserved when memory.total is not queried (nounits)', () => {
    const [row] = parseQueryCsv(fixture('gpu-discovery/netdata-go.d.plugin/tesla-p100.csv'));
    expect(gpuFromQueryRow(row!)).toMatchObject({ name: 'Tesla P100-PCIE-16GB', uuid: 'GPU-ef1b2c9b-38d8-2090-2bd1-f567a3eb42a6', memoryTotalMib: 16383, computeCapability: '6.0' });
  });
});

describe('AMD and Apple', () => {
  it('reads 4 × AMD Instinct MI100 from rocm-smi JSON', () => {
    const report = parseRocmSmiJson(fixture('gpu-discovery/telegraf-amd_rocm_smi/mi100_rocm602.json'));
    expect(report.gpus).toHaveLength(4);
    expect(report.gpus[0]).toMatchObject({ vendor: 'amd', name: 'AMD Instinct MI100', uuid: '0x79ccd55167a2124a', memoryTotalMib: 32752, pciBusId: '0000:83:00.0' });
    expect(report.driverVersion).toBe('6.3.6');
  });

  it('reads an Apple M1 Pro with 14 GPU cores', () => {
    const report = parseSystemProfilerJson(fixture('gpu-discovery/tirekick/SPDisplaysDataType_AppleSilicon_M1Pro_builtinPlus2.json'));
    expect(report.gpus).toHaveLength(1);
    expect(report.gpus[0]).toMatchObject({ vendor: 'apple', name: 'Apple M1 Pro', coreCount: 14, virtualizationMode: 'none' });
  });

  it('marks a paravirtualised Mac GPU as virtual, with its 64 MB of VRAM', () => {
    const report = parseSystemProfilerJson(fixture('gpu-discovery/tirekick/runner-macos-15-intel/SPDisplaysDataType.stdout'));
    expect(report.gpus[0]).toMatchObject({ name: 'Apple Paravirtualized Graphics Device', memoryTotalMib: 64, virtualizationMode: 'other' });
  });

  it('reads the chip and memory of a macOS VM from SPHardwareDataType', () => {
    const report = parseSystemProfilerJson(fixture('gpu-discovery/tirekick/runner-macos-26/SPHardwareDataType.stdout'));
    expect(report).toMatchObject({ chip: 'Apple M1 (Virtual)', memoryMib: 7168, gpus: [] });
  });
});

describe('parsing by structure, not by the files seen', () => {
  it('reads a GPU the fixtures do not hold, with fields in another order and an unknown mode', () => {
    const xml = `<?xml version="1.0" ?><nvidia_smi_log><driver_version>999.1</driver_version><attached_gpus>1</attached_gpus>
      <gpu id="00000000:3B:00.0"><uuid>GPU-11111111-2222-3333-4444-555555555555</uuid>
      <gpu_virtualization_mode><virtualization_mode>Some Future Mode</virtualization_mode></gpu_virtualization_mode>
      <fb_memory_usage><total>196608 MiB</total></fb_memory_usage><product_name>NVIDIA B300</product_name>
      <compute_capability>10.3</compute_capability><serial>[N/A]</serial></gpu></nvidia_smi_log>`;
    const report = parseNvidiaSmiXml(xml);
    expect(report.gpus[0]).toMatchObject({ name: 'NVIDIA B300', memoryTotalMib: 196608, virtualizationMode: 'other', computeCapability: '10.3', serial: '', pciBusId: '00000000:3B:00.0' });
  });

  it('rejects text that is not nvidia-smi output instead of inventing GPUs', () => {
    expect(() => parseNvidiaSmiXml('<html></html>')).toThrow(/nvidia_smi_log/);
    expect(() => parseNvidiaSmiText('command not found')).toThrow(/GPU <bus id>/);
  });

  it('produces hardware the scheduler accepts for a CPU-only worker', () => {
    const hw = { gpus: [], cpu: { model: 'x', cores: 2, memoryTotalMib: 1024, arch: 'x64' }, driverVersion: '', cudaVersion: '', os: 'Linux', hostname: 'h', discoverySource: 'none' };
    expect(hardwareSchema.safeParse(hw).success).toBe(true);
  });
});
