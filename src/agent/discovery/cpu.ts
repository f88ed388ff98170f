/**
 * cpu: the host's processor and memory, from Node's os module.
 */
import os from 'node:os';
import type { Cpu } from '../../common/hardware.js';

/** discoverCpu reports model, logical cores, memory and architecture of this machine. */
export function discoverCpu(): Cpu {
  const cpus = os.cpus();
  return {
    model: (cpus[0]?.model ?? 'unknown').trim().slice(0, 256),
    cores: Math.max(1, os.availableParallelism()),
    memoryTotalMib: Math.max(1, Math.round(os.totalmem() / 1048576)),
    arch: os.arch(),
  };
}
