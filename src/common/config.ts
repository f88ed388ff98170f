/**
 * config: the zod pieces every component's config schema is built from. Durations and sizes
 * carry their unit in the name once compiled (`leaseTtlMs`); flags and env are parsed explicitly
 * (no truthy strings), and an error names the setting and what was expected.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** parseDurationMs reads "250ms", "10s", "5m", "1h", "7d" or a bare number of milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 'ms']!);
}

/** durationMs is a zod schema for a duration given as text or milliseconds. */
export const durationMs = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDurationMs(value);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a duration such as 500ms, 10s, 5m, 1h or 7d' });
    return z.NEVER;
  }
  return ms;
});

/** BYTE_UNITS: binary units, largest first, so formatBytes picks the largest that divides a size. */
const BYTE_UNITS: Array<[string, number]> = [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]];

/** parseBytes reads "1048576", "64KiB", "1MiB" or "4GiB" as a number of bytes. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+)\s*(KiB|MiB|GiB)?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (BYTE_UNITS.find(([unit]) => unit === match[2])?.[1] ?? 1);
}

/** formatBytes writes a size as parseBytes reads it, in the largest unit that divides it ("64KiB"). */
export function formatBytes(bytes: number): string {
  const unit = BYTE_UNITS.find(([, size]) => bytes >= size && bytes % size === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

/** byteSize is a zod schema for a size given as text (parseBytes) or a number of bytes. */
export const byteSize = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseBytes(value);
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a size in bytes such as 1048576 or 1MiB' });
    return z.NEVER;
  }
  return bytes;
});

/** wholeNumber is a zod schema for an integer given as text or a number. */
export const wholeNumber = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
  if (n === undefined || !Number.isSafeInteger(n)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a whole number' });
    return z.NEVER;
  }
  return n;
});

/** splitCommas turns "a, b" into ["a", "b"]. */
export function splitCommas(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** listenAddress is "host:port" (port 0 picks a free one). */
export const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/, 'expected host:port, e.g. 127.0.0.1:7070')
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, 'expected a port from 0 to 65535');

/** dialAddress is "host:port" of a server to connect to (port must be set). */
export const dialAddress = listenAddress.refine((s) => !s.endsWith(':0'), 'expected a real port, not 0');

/** strictBoolean accepts true/false/1/0 only, so "flase" is an error rather than true. */
export const strictBoolean = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

/** labelMap parses "k=v,k2=v2" into a record; keys and values are limited as Kubernetes labels are. */
export const labelMap = z.union([z.record(z.string()), z.string()]).transform((value, ctx) => {
  if (typeof value !== 'string') return value;
  const out: Record<string, string> = {};
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected key=value pairs separated by commas, got "${pair}"` });
      return z.NEVER;
    }
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
});

/** SettingNames maps a config key to how a user sets it, e.g. { leaseTtlMs: '--lease-ttl / TESSERA_LEASE_TTL' }. */
export type SettingNames<T> = Partial<Record<keyof T & string, string>>;

/** parseConfig validates raw settings; the first problem becomes a ConfigError naming the setting. */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, raw: unknown, names: SettingNames<z.input<S>> = {}): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.output<S>;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const setting = (names as Record<string, string | undefined>)[key] ?? (issue.path.join('.') || '(config)');
  throw new ConfigError(setting, issue.message);
}
