// Original file: proto/tessera/v1/worker.proto

import type { GpuVendorWire as _tessera_v1_GpuVendorWire, GpuVendor as _tessera_v1_GpuVendor } from '../../tessera/v1/GpuVendor.js';
import type { VirtualizationModeWire as _tessera_v1_VirtualizationModeWire, VirtualizationMode as _tessera_v1_VirtualizationMode } from '../../tessera/v1/VirtualizationMode.js';
import type { MigModeWire as _tessera_v1_MigModeWire, MigMode as _tessera_v1_MigMode } from '../../tessera/v1/MigMode.js';
import type { MigDeviceWire as _tessera_v1_MigDeviceWire, MigDevice as _tessera_v1_MigDevice } from '../../tessera/v1/MigDevice.js';
import type { Long } from '@grpc/proto-loader';

export interface GpuWire {
  'vendor'?: (_tessera_v1_GpuVendorWire);
  'uuid'?: (string);
  'name'?: (string);
  'memoryTotalMib'?: (number | string | Long);
  'serial'?: (string);
  'pciBusId'?: (string);
  'virtualizationMode'?: (_tessera_v1_VirtualizationModeWire);
  'computeCapability'?: (string);
  'migMode'?: (_tessera_v1_MigModeWire);
  'migDevices'?: (_tessera_v1_MigDeviceWire)[];
  'architecture'?: (string);
  'coreCount'?: (number);
}

export interface Gpu {
  'vendor': (_tessera_v1_GpuVendor);
  'uuid': (string);
  'name': (string);
  'memoryTotalMib': (number);
  'serial': (string);
  'pciBusId': (string);
  'virtualizationMode': (_tessera_v1_VirtualizationMode);
  'computeCapability': (string);
  'migMode': (_tessera_v1_MigMode);
  'migDevices': (_tessera_v1_MigDevice)[];
  'architecture': (string);
  'coreCount': (number);
}
