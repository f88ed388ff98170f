/**
 * worker: worker.proto — hardware, workers, trust standing and reputation — between wire and
 * domain types. Enums map through exhaustive switches: a value added to the proto breaks the
 * build here until it is handled.
 */
import type { ChallengeSummaryWire } from '../gen/tessera/v1/ChallengeSummary.js';
import type { Gpu as GpuOut, GpuWire } from '../gen/tessera/v1/Gpu.js';
import type { GpuVendor as GpuVendorOut } from '../gen/tessera/v1/GpuVendor.js';
import type { Hardware as HardwareOut, HardwareWire } from '../gen/tessera/v1/Hardware.js';
import type { MigMode as MigModeOut } from '../gen/tessera/v1/MigMode.js';
import type { ReputationWire } from '../gen/tessera/v1/Reputation.js';
import type { TrustState as TrustStateOut } from '../gen/tessera/v1/TrustState.js';
import type { VirtualizationMode as VirtualizationModeOut } from '../gen/tessera/v1/VirtualizationMode.js';
import type { WorkerWire } from '../gen/tessera/v1/Worker.js';
import type { Gpu, GpuVendor, Hardware, MigMode, VirtualizationMode } from '../common/hardware.js';
import type { ReputationScore } from '../common/reputation.js';
import { provenGpuIndices, trustStateOf, type ChallengeRecord, type TrustRecord, type TrustState } from '../common/trust.js';
import type { WorkerView } from '../common/worker.js';
import { timestampToWire } from './timestamp.js';

/** vendorFromWire maps a wire vendor; UNSPECIFIED or an unknown number is undefined (rejected by validation). */
export function vendorFromWire(value: GpuVendorOut | number): GpuVendor | undefined {
  if (typeof value === 'number') return undefined;
  switch (value) {
    case 'GPU_VENDOR_NVIDIA':
      return 'nvidia';
    case 'GPU_VENDOR_AMD':
      return 'amd';
    case 'GPU_VENDOR_APPLE':
      return 'apple';
    case 'GPU_VENDOR_UNSPECIFIED':
      return undefined;
  }
}

/** vendorToWire maps a domain vendor to the proto enum. */
export function vendorToWire(value: GpuVendor): GpuVendorOut {
  switch (value) {
    case 'nvidia':
      return 'GPU_VENDOR_NVIDIA';
    case 'amd':
      return 'GPU_VENDOR_AMD';
    case 'apple':
      return 'GPU_VENDOR_APPLE';
  }
}

/** virtualizationFromWire maps a wire mode; UNSPECIFIED or an unknown number is undefined (rejected by validation). */
export function virtualizationFromWire(value: VirtualizationModeOut | number): VirtualizationMode | undefined {
  if (typeof value === 'number') return undefined;
  switch (value) {
    case 'VIRTUALIZATION_MODE_NONE':
      return 'none';
    case 'VIRTUALIZATION_MODE_PASS_THROUGH':
      return 'pass-through';
    case 'VIRTUALIZATION_MODE_VGPU':
      return 'vgpu';
    case 'VIRTUALIZATION_MODE_HOST_VGPU':
      return 'host-vgpu';
    case 'VIRTUALIZATION_MODE_HOST_VSGA':
      return 'host-vsga';
    case 'VIRTUALIZATION_MODE_OTHER':
      return 'other';
    case 'VIRTUALIZATION_MODE_UNSPECIFIED':
      return undefined;
  }
}

/** virtualizationToWire maps a domain mode to the proto enum. */
export function virtualizationToWire(value: VirtualizationMode): VirtualizationModeOut {
  switch (value) {
    case 'none':
      return 'VIRTUALIZATION_MODE_NONE';
    case 'pass-through':
      return 'VIRTUALIZATION_MODE_PASS_THROUGH';
    case 'vgpu':
      return 'VIRTUALIZATION_MODE_VGPU';
    case 'host-vgpu':
      return 'VIRTUALIZATION_MODE_HOST_VGPU';
    case 'host-vsga':
      return 'VIRTUALIZATION_MODE_HOST_VSGA';
    case 'other':
      return 'VIRTUALIZATION_MODE_OTHER';
  }
}

/** migModeFromWire maps a wire MIG mode; UNSPECIFIED or an unknown number is undefined (rejected by validation). */
export function migModeFromWire(value: MigModeOut | number): MigMode | undefined {
  if (typeof value === 'number') return undefined;
  switch (value) {
    case 'MIG_MODE_NOT_SUPPORTED':
      return 'not-supported';
    case 'MIG_MODE_DISABLED':
      return 'disabled';
    case 'MIG_MODE_ENABLED':
      return 'enabled';
    case 'MIG_MODE_UNSPECIFIED':
      return undefined;
  }
}

/** migModeToWire maps a domain MIG mode to the proto enum. */
export function migModeToWire(value: MigMode): MigModeOut {
  switch (value) {
    case 'not-supported':
      return 'MIG_MODE_NOT_SUPPORTED';
    case 'disabled':
      return 'MIG_MODE_DISABLED';
    case 'enabled':
      return 'MIG_MODE_ENABLED';
  }
}

/** gpuFromWire converts a decoded Gpu; fields that do not map are left undefined for validation to name. */
function gpuFromWire(gpu: GpuOut): Record<keyof Gpu, unknown> {
  return {
    vendor: vendorFromWire(gpu.vendor),
    uuid: gpu.uuid,
    name: gpu.name,
    memoryTotalMib: gpu.memoryTotalMib,
    serial: gpu.serial,
    pciBusId: gpu.pciBusId,
    virtualizationMode: virtualizationFromWire(gpu.virtualizationMode),
    computeCapability: gpu.computeCapability,
    migMode: migModeFromWire(gpu.migMode),
    migDevices: gpu.migDevices.map((d) => ({ ...d })),
    architecture: gpu.architecture,
    coreCount: gpu.coreCount,
  };
}

/** hardwareFromWire converts a decoded Hardware into an unvalidated domain shape (validate with hardwareSchema). */
export function hardwareFromWire(hardware: HardwareOut | null): unknown {
  if (!hardware) return undefined;
  return {
    gpus: hardware.gpus.map(gpuFromWire),
    cpu: hardware.cpu ? { ...hardware.cpu } : undefined,
    driverVersion: hardware.driverVersion,
    cudaVersion: hardware.cudaVersion,
    os: hardware.os,
    hostname: hardware.hostname,
    discoverySource: hardware.discoverySource,
  };
}

function gpuToWire(gpu: Gpu): GpuWire {
  return {
    ...gpu,
    vendor: vendorToWire(gpu.vendor),
    virtualizationMode: virtualizationToWire(gpu.virtualizationMode),
    migMode: migModeToWire(gpu.migMode),
  };
}

/** hardwareToWire converts domain hardware for sending. */
export function hardwareToWire(hardware: Hardware): HardwareWire {
  return { ...hardware, gpus: hardware.gpus.map(gpuToWire) };
}

/** trustStateToWire maps a trust state. */
function trustStateToWire(state: TrustState): TrustStateOut {
  switch (state) {
    case 'unverified':
      return 'TRUST_STATE_UNVERIFIED';
    case 'verified':
      return 'TRUST_STATE_VERIFIED';
    case 'flagged':
      return 'TRUST_STATE_FLAGGED';
  }
}

/** reputationToWire converts a score with its breakdown. */
function reputationToWire(r: ReputationScore): ReputationWire {
  const uptime = (['d1', 'd7', 'd30'] as const).flatMap((k) => (r.uptime[k] === undefined ? [] : [{ window: k.slice(1) + 'd', value: r.uptime[k] }]));
  return { score: r.score, record: r.record, tenureDays: r.tenureDays, uptime, components: r.components, events: r.events, asOf: timestampToWire(r.asOfMs) };
}

/** challengeSummaryToWire converts one device's last challenge. */
function challengeSummaryToWire(c: ChallengeRecord): ChallengeSummaryWire {
  return {
    time: timestampToWire(c.atMs),
    gpuIndex: c.gpuIndex,
    gpuModel: c.gpuModel,
    passed: c.passed,
    reason: c.reason,
    workFlops: c.workFlops,
    limitMs: c.limitMs,
    roundTripMs: c.roundTripMs,
    claimedTflops: c.claimedTflops ?? 0,
    provenTflops: c.provenTflops ?? 0,
    device: c.device,
    verifyMs: c.verifyMs,
  };
}

/** REDACTED: what a caller without an API key sees in place of a GPU's UUID or serial. */
const REDACTED = 'redacted';

/**
 * redactDeviceIds hides GPU UUIDs and serials: published, they would let anyone claim an honest
 * worker's GPU (the first holder keeps it, but the copy costs the honest owner a look).
 */
function redactDeviceIds(hardware: HardwareWire): HardwareWire {
  return { ...hardware, gpus: (hardware.gpus ?? []).map((g) => ({ ...g, uuid: g.uuid ? REDACTED : '', serial: g.serial ? REDACTED : '' })) };
}

/** workerToWire converts a worker view for clients, with its trust standing and, when computed, its reputation. */
export function workerToWire(worker: WorkerView, trust?: TrustRecord, reputation?: ReputationScore, options: { deviceIds?: boolean } = {}): WorkerWire {
  const hardware = hardwareToWire(worker.hardware);
  return {
    trust: trustStateToWire(trustStateOf(trust, worker.hardware)),
    flags: (trust?.flags ?? []).map((f) => ({ reason: f.reason, detail: f.detail, time: timestampToWire(f.atMs) })),
    reputation: reputation ? reputationToWire(reputation) : null,
    challenges: (trust?.challenges ?? []).map(challengeSummaryToWire),
    unverifiedReason: trust?.unverifiedReason ?? '',
    provenGpus: provenGpuIndices(trust, worker.hardware).size,
    id: worker.id,
    name: worker.name,
    region: worker.region,
    labels: worker.labels,
    hardware: options.deviceIds === false ? redactDeviceIds(hardware) : hardware,
    online: worker.online,
    lastHeartbeatTime: worker.online ? timestampToWire(worker.lastHeartbeatAtMs) : null,
    joinedTime: timestampToWire(worker.joinedAtMs),
    connectedTime: worker.online ? timestampToWire(worker.connectedAtMs) : null,
    agentVersion: worker.agentVersion,
    isolation: worker.isolation,
    revokedTime: worker.revokedAtMs !== undefined ? timestampToWire(worker.revokedAtMs) : null,
  };
}
