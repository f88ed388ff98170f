import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromZod, loadTesseraProto } from '../../src/common/grpc.js';
import { GPU_VENDORS, MIG_MODES, VIRTUALIZATION_MODES, hardwareSchema, type Hardware } from '../../src/common/hardware.js';
import { hardwareFromWire, hardwareToWire, migModeFromWire, migModeToWire, vendorFromWire, vendorToWire, virtualizationFromWire, virtualizationToWire } from '../../src/common/wire.js';
import { secretMatches, sha256Hex, newSecret, JOIN_TOKEN_PREFIX } from '../../src/common/secrets.js';

const H200: Hardware = {
  gpus: [{ vendor: 'nvidia', uuid: 'GPU-930ea816-c446-2969-4661-c22fcd35a1d9', name: 'NVIDIA H200', memoryTotalMib: 143771, serial: '1654124008041', pciBusId: '00000000:00:06.0', virtualizationMode: 'pass-through', computeCapability: '9.0', migMode: 'disabled', migDevices: [], architecture: 'Hopper', coreCount: 0 }],
  cpu: { model: 'Xeon', cores: 16, memoryTotalMib: 128_000, arch: 'x64' },
  driverVersion: '580.159.04',
  cudaVersion: '13.0',
  os: 'Linux',
  hostname: 'h200',
  discoverySource: 'nvidia-smi -q -x',
};

describe('wire conversion', () => {
  it('maps every domain enum value to the wire and back', () => {
    for (const v of GPU_VENDORS) expect(vendorFromWire(vendorToWire(v))).toBe(v);
    for (const v of VIRTUALIZATION_MODES) expect(virtualizationFromWire(virtualizationToWire(v))).toBe(v);
    for (const v of MIG_MODES) expect(migModeFromWire(migModeToWire(v))).toBe(v);
  });

  it('round-trips an H200 report through protobuf bytes unchanged', () => {
    const { proto } = loadTesseraProto();
    const method = proto.AgentService.service.Join;
    const bytes = method.requestSerialize({ joinToken: 't', hardware: hardwareToWire(H200) });
    const decoded = method.requestDeserialize(bytes);
    expect(hardwareSchema.parse(hardwareFromWire(decoded.hardware))).toEqual(H200);
  });

  it('turns unknown enum numbers into values validation refuses', () => {
    expect(vendorFromWire(42)).toBeUndefined();
    expect(virtualizationFromWire('VIRTUALIZATION_MODE_UNSPECIFIED')).toBeUndefined();
  });

  it('names nested fields in proto style', () => {
    const schema = z.object({ hardware: z.object({ gpus: z.array(z.object({ name: z.string().min(1, 'expected a GPU name') })) }) });
    const result = schema.safeParse({ hardware: { gpus: [{ name: 'ok' }, { name: '' }] } });
    expect(result.success).toBe(false);
    const err = fromZod(result.error!, 'hello');
    expect(err.fieldPath).toBe('hello.hardware.gpus[1].name');
    expect(err.message).toBe('hello.hardware.gpus[1].name: expected a GPU name');
  });
});

describe('secrets', () => {
  it('stores a hash that matches only the secret it came from', () => {
    const secret = newSecret(JOIN_TOKEN_PREFIX);
    expect(secret.startsWith('tsj_')).toBe(true);
    expect(secret.length).toBeGreaterThan(40);
    expect(secretMatches(secret, sha256Hex(secret))).toBe(true);
    expect(secretMatches(secret + 'x', sha256Hex(secret))).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });
});
