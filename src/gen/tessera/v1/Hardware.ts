// Original file: proto/tessera/v1/worker.proto

import type { GpuWire as _tessera_v1_GpuWire, Gpu as _tessera_v1_Gpu } from '../../tessera/v1/Gpu.js';
import type { CpuWire as _tessera_v1_CpuWire, Cpu as _tessera_v1_Cpu } from '../../tessera/v1/Cpu.js';

export interface HardwareWire {
  'gpus'?: (_tessera_v1_GpuWire)[];
  'cpu'?: (_tessera_v1_CpuWire | null);
  'driverVersion'?: (string);
  'cudaVersion'?: (string);
  'os'?: (string);
  'hostname'?: (string);
  'discoverySource'?: (string);
}

export interface Hardware {
  'gpus': (_tessera_v1_Gpu)[];
  'cpu': (_tessera_v1_Cpu | null);
  'driverVersion': (string);
  'cudaVersion': (string);
  'os': (string);
  'hostname': (string);
  'discoverySource': (string);
}
