/**
 * workers: sample worker records for tests and benchmarks (no test-runner imports here).
 */
import type { Hardware } from '../../src/common/hardware.js';
import { newWorkerId } from '../../src/common/secrets.js';
import type { WorkerRecord } from '../../src/common/worker.js';

export const CPU_HARDWARE: Hardware = {
  gpus: [],
  cpu: { model: 'Test CPU', cores: 4, memoryTotalMib: 8192, arch: 'x64' },
  driverVersion: '',
  cudaVersion: '',
  os: 'Linux',
  hostname: 'test-host',
  discoverySource: 'none',
};

export function workerRecord(overrides: Partial<WorkerRecord> = {}): WorkerRecord {
  return { id: newWorkerId(), name: 'w', region: 'eu-west', labels: {}, hardware: CPU_HARDWARE, agentVersion: '0.1.0', isolation: { sandboxed: true, detail: 'test record' }, joinedAtMs: Date.now(), ...overrides };
}

