/**
 * job-file: reads a job YAML file into a JobSpec for SubmitJob. Only the shape is checked here (a
 * list where a list belongs, a number its wire type carries, a file that can be read), naming the
 * key that is wrong; the gateway validates every value and names the proto field.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { InlineFileWire } from '../gen/tessera/v1/InlineFile.js';
import type { JobSpecWire } from '../gen/tessera/v1/JobSpec.js';
import { parseDurationMs } from '../common/config.js';
import { InvalidArgument } from '../common/errors.js';
import { JOB_LIMITS } from '../common/job.js';

type Doc = Record<string, unknown>;

/** text reads a scalar YAML field as a string ('' when absent, JSON for anything structured). */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** mapping reads an optional mapping ({} when absent). */
function mapping(value: unknown, field: string): Doc {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgument(field, 'expected a mapping (key: value)');
  return value as Doc;
}

/** list reads an optional list ([] when absent). */
function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidArgument(field, 'expected a list');
  return value;
}

/** Integer wire types: a value outside its range would wrap silently on the wire (2^32 + 1 → 1). */
const UINT32 = { min: 0, max: 2 ** 32 - 1 };
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT64 = { min: 0, max: Number.MAX_SAFE_INTEGER };

/** number reads an optional number (0, the proto default, when absent); an integer field must fit its wire type. */
function number(value: unknown, field: string, integer?: { min: number; max: number }): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new InvalidArgument(field, 'expected a number');
  if (integer && (!Number.isInteger(n) || n < integer.min || n > integer.max)) throw new InvalidArgument(field, `expected a whole number from ${integer.min} to ${integer.max}`);
  return n;
}

/** flag reads an optional boolean (false when absent). */
function flag(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new InvalidArgument(field, 'expected true or false');
  return value;
}

/** timeoutSeconds reads `timeout`: a duration ("90s", "2h") or a number of seconds; 0 when absent. */
function timeoutSeconds(value: unknown): number {
  if (typeof value === 'string') {
    const ms = parseDurationMs(value);
    if (ms === undefined) throw new InvalidArgument('timeout', 'expected a duration such as 90s, 30m or 2h, or a number of seconds');
    return number(Math.ceil(ms / 1000), 'timeout', UINT32);
  }
  return number(value, 'timeout', UINT32);
}

/** readSource reads `files[].source`, relative to the job file: a regular file only (a directory or /dev/zero would fail or never end). */
async function readSource(source: unknown, baseDir: string, field: string): Promise<Buffer> {
  if (typeof source !== 'string' || source === '') throw new InvalidArgument(field, 'expected the path of a file, relative to the job file');
  const path = resolve(baseDir, source);
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new InvalidArgument(field, `cannot read ${source} (${err.code ?? err.message})`);
  });
  if (!info.isFile()) throw new InvalidArgument(field, `expected a regular file, and ${source} is not one`);
  if (info.size > JOB_LIMITS.maxFileBytes) throw new InvalidArgument(field, `expected at most ${JOB_LIMITS.maxFileBytes} bytes per file; ${source} has ${info.size}`);
  return readFile(path);
}

async function readFiles(value: unknown, baseDir: string, field: string): Promise<InlineFileWire[]> {
  return Promise.all(
    list(value, field).map(async (item, i) => {
      const at = `${field}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InvalidArgument(at, 'expected a mapping with path and content or source');
      const f = item as Doc;
      return {
        path: text(f.path),
        content: f.source !== undefined ? await readSource(f.source, baseDir, `${at}.source`) : Buffer.from(text(f.content), 'utf8'),
        mode: number(f.mode, `${at}.mode`, UINT32),
      };
    }),
  );
}

/** readJobFile loads YAML; `files[].source` paths are read relative to the job file. */
export async function readJobFile(path: string): Promise<JobSpecWire> {
  const source = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InvalidArgument(path, `cannot read the job file (${err.code ?? err.message})`);
  });
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (err) {
    throw new InvalidArgument(path, `expected YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidArgument(path, 'expected a YAML mapping');
  return jobSpecFromDoc(doc as Doc, dirname(resolve(path)));
}

/** jobSpecFromDoc converts a parsed job document (YAML or JSON); errors name the document's key ("files[0].source"). */
export async function jobSpecFromDoc(doc: Record<string, unknown>, baseDir: string): Promise<JobSpecWire> {
  const nested = doc.entrypoint !== undefined && doc.entrypoint !== null;
  const entry = nested ? mapping(doc.entrypoint, 'entrypoint') : doc;
  const at = nested ? 'entrypoint.' : '';
  const files = await readFiles(entry.files, baseDir, `${at}files`);
  const resources = mapping(doc.resources, 'resources');
  const spec: JobSpecWire = {
    name: text(doc.name),
    entrypoint: {
      command: text(entry.command),
      args: list(entry.args, `${at}args`).map(text),
      env: Object.fromEntries(Object.entries(mapping(entry.env, `${at}env`)).map(([k, v]) => [k, text(v)])),
      workingDir: text(entry.workingDir),
      files,
    },
    resources: {
      gpuCount: number(resources.gpuCount, 'resources.gpuCount', UINT32),
      gpuModels: list(resources.gpuModels, 'resources.gpuModels').map(text),
      minGpuMemoryMib: number(resources.minGpuMemoryMib, 'resources.minGpuMemoryMib', UINT64),
      cpuCores: number(resources.cpuCores, 'resources.cpuCores'),
      memoryMib: number(resources.memoryMib, 'resources.memoryMib', UINT64),
    },
    timeoutSeconds: timeoutSeconds(doc.timeout),
    maxAttempts: number(doc.maxAttempts, 'maxAttempts', UINT32),
    priority: number(doc.priority, 'priority', INT32),
    regions: list(doc.regions, 'regions').map(text),
    labels: Object.fromEntries(Object.entries(mapping(doc.labels, 'labels')).map(([k, v]) => [k, text(v)])),
    // Trust and reliability floors (docs/jobs.md): the gateway checks their ranges.
    requireVerified: flag(doc.requireVerified, 'requireVerified'),
    minReputation: number(doc.minReputation, 'minReputation'),
    minUptime_30d: number(doc.minUptime30d, 'minUptime30d'),
    allowUnsandboxed: flag(doc.allowUnsandboxed, 'allowUnsandboxed'),
  };
  const gang = doc.gang ?? undefined;
  const independent = doc.independent ?? undefined;
  if (gang !== undefined && independent !== undefined) throw new InvalidArgument('gang', 'expected gang or independent, not both');
  if (gang !== undefined) spec.gang = { worldSize: number(mapping(gang, 'gang').worldSize, 'gang.worldSize', UINT32) };
  if (independent !== undefined) {
    const i = mapping(independent, 'independent');
    spec.independent = { shardCount: number(i.shardCount, 'independent.shardCount', UINT32), inputs: list(i.inputs, 'independent.inputs').map(text) };
  }
  return spec;
}
