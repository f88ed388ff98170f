/**
 * job-file: reads a job YAML file into a JobSpec for SubmitJob. Only the shape is checked here;
 * the gateway validates every field and names the one that is wrong.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { JobSpecWire } from '../gen/tessera/v1/JobSpec.js';
import { parseDurationMs } from '../common/config.js';

interface FileEntry {
  path?: string;
  content?: string;
  source?: string;
  mode?: number;
}

/** text reads a scalar YAML field as a string ('' when absent, JSON for anything structured). */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** readJobFile loads YAML; `files[].source` paths are read relative to the job file. */
export async function readJobFile(path: string): Promise<JobSpecWire> {
  const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${path}: expected a YAML mapping`);
  return jobSpecFromDoc(doc, dirname(resolve(path)));
}

/** jobSpecFromDoc converts a parsed job document (YAML or JSON). */
export async function jobSpecFromDoc(doc: Record<string, unknown>, baseDir: string): Promise<JobSpecWire> {
  const entry = (doc.entrypoint as Record<string, unknown> | undefined) ?? doc;
  const files = await Promise.all(
    ((entry.files as FileEntry[] | undefined) ?? []).map(async (f) => ({
      path: f.path ?? '',
      content: f.source !== undefined ? await readFile(resolve(baseDir, f.source)) : Buffer.from(f.content ?? '', 'utf8'),
      mode: f.mode ?? 0,
    })),
  );
  const timeout = doc.timeout;
  const timeoutSeconds = typeof timeout === 'string' ? Math.ceil((parseDurationMs(timeout) ?? NaN) / 1000) : typeof timeout === 'number' ? timeout : 0;
  const spec: JobSpecWire = {
    name: text(doc.name),
    entrypoint: {
      command: text(entry.command),
      args: ((entry.args as unknown[] | undefined) ?? []).map(text),
      env: Object.fromEntries(Object.entries((entry.env as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, text(v)])),
      workingDir: text(entry.workingDir),
      files,
    },
    resources: (doc.resources as JobSpecWire['resources']) ?? {},
    timeoutSeconds: Number.isFinite(timeoutSeconds) ? timeoutSeconds : -1,
    maxAttempts: Number(doc.maxAttempts ?? 0),
    priority: Number(doc.priority ?? 0),
    regions: ((doc.regions as unknown[] | undefined) ?? []).map(text),
    labels: (doc.labels as Record<string, string> | undefined) ?? {},
    // Trust and reliability floors (docs/jobs.md): the gateway checks their ranges.
    requireVerified: doc.requireVerified === true,
    minReputation: Number(doc.minReputation ?? 0),
    minUptime_30d: Number(doc.minUptime30d ?? 0),
  };
  if (doc.gang) spec.gang = doc.gang;
  else if (doc.independent) spec.independent = doc.independent;
  return spec;
}
