/**
 * discovery: what this machine's agent reports. NVIDIA first (nvidia-smi), then AMD
 * (rocm-smi), then Apple (system_profiler, on macOS); every worker also reports its CPU.
 * A tool that is missing or fails means "no GPUs of that vendor", with the reason logged.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import type { Hardware } from '../../common/hardware.js';
import type { Logger } from '../../common/logger.js';
import { parseSystemProfilerJson } from './apple.js';
import { discoverCpu } from './cpu.js';
import { mergeComputeCapability, parseNvidiaSmiText, parseNvidiaSmiXml, parseQueryCsv } from './nvidia.js';
import { parseRocmSmiJson } from './rocm.js';

const run = promisify(execFile);
/** TOOL_TIMEOUT_MS: nvidia-smi can take seconds on a busy 8-GPU host; longer means it hangs. */
const TOOL_TIMEOUT_MS = 20_000;
/** TOOL_MAX_OUTPUT_BYTES bounds what the agent reads from a tool (an 8-GPU -q -x is ~400 KB). */
const TOOL_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** DiscoveryOptions names the tools to run (tests and operators may point elsewhere). */
export interface DiscoveryOptions {
  nvidiaSmi?: string;
  rocmSmi?: string;
  systemProfiler?: string;
  logger?: Logger;
}

async function tool(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: TOOL_MAX_OUTPUT_BYTES, encoding: 'utf8' });
  return stdout;
}

/** discoverHardware runs the vendor tools present on this machine and returns the report. */
export async function discoverHardware(options: DiscoveryOptions = {}): Promise<Hardware> {
  const base: Hardware = {
    gpus: [],
    cpu: discoverCpu(),
    driverVersion: '',
    cudaVersion: '',
    os: `${os.type()} ${os.release()}`,
    hostname: os.hostname(),
    discoverySource: 'none',
  };
  const log = options.logger;
  try {
    const smi = options.nvidiaSmi ?? 'nvidia-smi';
    // XML first; the text layout is the fallback for builds whose -x fails.
    const report = await tool(smi, ['-q', '-x']).then(parseNvidiaSmiXml, async () => parseNvidiaSmiText(await tool(smi, ['-q'])));
    let gpus = report.gpus;
    try {
      gpus = mergeComputeCapability(gpus, parseQueryCsv(await tool(options.nvidiaSmi ?? 'nvidia-smi', ['--query-gpu=uuid,compute_cap', '--format=csv'])));
    } catch (err) {
      log?.debug({ err }, 'nvidia-smi --query-gpu=compute_cap failed; compute capability comes from the name table');
    }
    if (gpus.length === 0) throw new Error('nvidia-smi reported no GPUs');
    return { ...base, gpus, driverVersion: report.driverVersion, cudaVersion: report.cudaVersion, discoverySource: 'nvidia-smi' };
  } catch (err) {
    log?.debug({ err: (err as Error).message }, 'no NVIDIA GPUs: nvidia-smi is missing or failed');
  }
  try {
    const args = ['--showproductname', '--showuniqueid', '--showbus', '--showmeminfo', 'vram', '--showserial', '--showdriverversion', '--json'];
    const report = parseRocmSmiJson(await tool(options.rocmSmi ?? 'rocm-smi', args));
    if (report.gpus.length > 0) return { ...base, gpus: report.gpus, driverVersion: report.driverVersion, discoverySource: 'rocm-smi' };
  } catch (err) {
    log?.debug({ err: (err as Error).message }, 'no AMD GPUs: rocm-smi is missing or failed');
  }
  if (process.platform === 'darwin' || options.systemProfiler) {
    try {
      const output = await tool(options.systemProfiler ?? 'system_profiler', ['-json', 'SPDisplaysDataType', 'SPHardwareDataType']);
      const report = parseSystemProfilerJson(output);
      // Apple GPUs share unified memory: without a VRAM figure, the GPU can address the host's memory.
      const gpus = report.gpus.map((g) => (g.memoryTotalMib > 0 ? g : { ...g, memoryTotalMib: base.cpu.memoryTotalMib }));
      const cpu = report.chip ? { ...base.cpu, model: report.chip } : base.cpu;
      return { ...base, cpu, gpus, discoverySource: 'system_profiler' };
    } catch (err) {
      log?.debug({ err: (err as Error).message }, 'system_profiler failed');
    }
  }
  return base;
}
