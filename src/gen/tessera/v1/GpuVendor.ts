// Original file: proto/tessera/v1/worker.proto

export const GpuVendor = {
  GPU_VENDOR_UNSPECIFIED: 'GPU_VENDOR_UNSPECIFIED',
  GPU_VENDOR_NVIDIA: 'GPU_VENDOR_NVIDIA',
  GPU_VENDOR_AMD: 'GPU_VENDOR_AMD',
  GPU_VENDOR_APPLE: 'GPU_VENDOR_APPLE',
} as const;

export type GpuVendorWire =
  | 'GPU_VENDOR_UNSPECIFIED'
  | 0
  | 'GPU_VENDOR_NVIDIA'
  | 1
  | 'GPU_VENDOR_AMD'
  | 2
  | 'GPU_VENDOR_APPLE'
  | 3

export type GpuVendor = typeof GpuVendor[keyof typeof GpuVendor]
