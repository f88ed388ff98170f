/**
 * usage: what a tenant's attempts used, by UTC day. An attempt is metered once, when it ends,
 * from the start and end the scheduler recorded (never an estimate): GPU count × milliseconds
 * and CPU cores × milliseconds, split at UTC midnights so each day holds what ran in it. Every
 * report names its window: the seed's networks confused daily with cumulative figures.
 */
import { z } from 'zod';
import { InvalidArgument } from './errors.js';
import type { TenantQuota } from './quota.js';

/** DAY_MS is one UTC day. */
export const DAY_MS = 86_400_000;
/** MAX_WINDOW_DAYS: a report covers at most a year and a day (a leap year and then some). */
export const MAX_WINDOW_DAYS = 366;
/** DEFAULT_WINDOW_DAYS: without `since`, a week ending today. */
export const DEFAULT_WINDOW_DAYS = 7;

/** UsageDay is `<root>usage/<tenant>/<yyyy-mm-dd>`; milli-units keep sums exact. */
export interface UsageDay {
  gpuMs: number;
  cpuCoreMs: number;
  /** Attempts that ended this day. */
  attempts: number;
  updatedAtMs: number;
}

export const usageDaySchema: z.ZodType<UsageDay, z.ZodTypeDef, unknown> = z.object({
  gpuMs: z.number(),
  cpuCoreMs: z.number(),
  attempts: z.number(),
  updatedAtMs: z.number(),
});

/** dayOf is the UTC day of an instant, "2026-11-28". */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** dayStartMs is the instant a UTC day begins. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** addDays moves a day by `n` days. */
export function addDays(day: string, n: number): string {
  return dayOf(dayStartMs(day) + n * DAY_MS);
}

/** isDay: "YYYY-MM-DD" naming a real calendar day (2026-02-30 is not one). */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = dayStartMs(text);
  return Number.isFinite(ms) && dayOf(ms) === text;
}

/** daysBetween counts the days of [since, until). */
export function daysBetween(since: string, until: string): number {
  return Math.round((dayStartMs(until) - dayStartMs(since)) / DAY_MS);
}

/** Charge is what one attempt adds to one day. */
export interface Charge {
  day: string;
  gpuMs: number;
  cpuCoreMs: number;
  /** 1 on the day the attempt ended, else 0. */
  attempts: number;
}

/** chargesOf splits the attempt [startMs, endMs) at UTC midnights into per-day charges. */
export function chargesOf(startMs: number, endMs: number, gpuCount: number, cpuCores: number): Charge[] {
  const charges: Charge[] = [];
  for (let from = startMs; from < endMs; ) {
    const to = Math.min(endMs, dayStartMs(dayOf(from)) + DAY_MS);
    charges.push({ day: dayOf(from), gpuMs: gpuCount * (to - from), cpuCoreMs: Math.round(cpuCores * (to - from)), attempts: 0 });
    from = to;
  }
  const last = charges[charges.length - 1];
  if (last) last.attempts = 1;
  else charges.push({ day: dayOf(endMs), gpuMs: 0, cpuCoreMs: 0, attempts: 1 });
  return charges;
}

/** sumCharges adds charges up per day. */
export function sumCharges(charges: Iterable<Charge>): Map<string, Charge> {
  const byDay = new Map<string, Charge>();
  for (const c of charges) {
    const sum = byDay.get(c.day) ?? { day: c.day, gpuMs: 0, cpuCoreMs: 0, attempts: 0 };
    byDay.set(c.day, { day: c.day, gpuMs: sum.gpuMs + c.gpuMs, cpuCoreMs: sum.cpuCoreMs + c.cpuCoreMs, attempts: sum.attempts + c.attempts });
  }
  return byDay;
}

/** UsageWindow is [since, until) in whole UTC days. */
export interface UsageWindow {
  since: string;
  until: string;
  days: number;
}

/**
 * usageWindow checks a requested window; empty `until` is tomorrow (today included), empty
 * `since` makes the window DEFAULT_WINDOW_DAYS long. A bad field is InvalidArgument naming it.
 */
export function usageWindow(since: string, until: string, nowMs: number): UsageWindow {
  if (until !== '' && !isDay(until)) throw new InvalidArgument('until', 'expected a UTC day such as 2026-11-29 (exclusive), or empty for tomorrow');
  if (since !== '' && !isDay(since)) throw new InvalidArgument('since', 'expected a UTC day such as 2026-11-01, or empty for 7 days');
  const end = until || addDays(dayOf(nowMs), 1);
  const start = since || addDays(end, -DEFAULT_WINDOW_DAYS);
  const days = daysBetween(start, end);
  if (days < 1) throw new InvalidArgument('until', `expected a day after since (${start})`);
  if (days > MAX_WINDOW_DAYS) throw new InvalidArgument('since', `expected a window of at most ${MAX_WINDOW_DAYS} days (asked for ${days})`);
  return { since: start, until: end, days };
}

/** windowText names a window in words, saying when today is in it and so still growing. */
export function windowText(window: UsageWindow, nowMs: number): string {
  const last = addDays(window.until, -1);
  const today = dayOf(nowMs);
  const span = window.days === 1 ? `1 UTC day, ${window.since}` : `${window.days} UTC days, ${window.since} to ${last} inclusive`;
  return today >= window.since && today < window.until ? `${span} (${today} so far)` : span;
}

/** UsageRow is one day (or a total) in seconds. */
export interface UsageRow {
  day: string;
  gpuSeconds: number;
  cpuSeconds: number;
  attempts: number;
}

/** QuotaState is a tenant's quota with its current period's use. */
export type QuotaState = TenantQuota & { periodSince: string; periodGpuSeconds: number };

/** quotaState copies a quota with its period's use, keeping only the limits that are set (both ways over the wire). */
export function quotaState(q: { maxGpus?: number; maxShards?: number; gpuSecondsPerPeriod?: number; periodDays: number; periodSince: string; periodGpuSeconds: number }): QuotaState {
  return {
    ...(q.maxGpus !== undefined && { maxGpus: q.maxGpus }),
    ...(q.maxShards !== undefined && { maxShards: q.maxShards }),
    ...(q.gpuSecondsPerPeriod !== undefined && { gpuSecondsPerPeriod: q.gpuSecondsPerPeriod }),
    periodDays: q.periodDays,
    periodSince: q.periodSince,
    periodGpuSeconds: q.periodGpuSeconds,
  };
}

/** UsageReport is what GetUsage and `tessera usage --tenant` answer. */
export interface UsageReport {
  tenantId: string;
  tenantName: string;
  window: UsageWindow;
  windowText: string;
  days: UsageRow[];
  total: UsageRow;
  quota?: QuotaState;
  asOfMs: number;
}

/** periodSince is the first day of the quota period that contains `nowMs`. */
export function periodSince(periodDays: number, nowMs: number): string {
  return addDays(dayOf(nowMs), -(periodDays - 1));
}

/** buildReport sums a tenant's stored days over a window, and its quota period. Pure. */
export function buildReport(
  tenant: { id: string; name: string },
  window: UsageWindow,
  stored: ReadonlyMap<string, UsageDay>,
  quota: TenantQuota | undefined,
  nowMs: number,
): UsageReport {
  const days: UsageRow[] = [];
  for (let i = 0; i < window.days; i++) {
    const day = addDays(window.since, i);
    const u = stored.get(day);
    days.push({ day, gpuSeconds: (u?.gpuMs ?? 0) / 1000, cpuSeconds: (u?.cpuCoreMs ?? 0) / 1000, attempts: u?.attempts ?? 0 });
  }
  const sum = (pick: (u: UsageDay) => number, from: string, until: string): number => {
    let total = 0;
    for (const [day, u] of stored) if (day >= from && day < until) total += pick(u);
    return total;
  };
  const total: UsageRow = {
    day: 'total',
    gpuSeconds: sum((u) => u.gpuMs, window.since, window.until) / 1000,
    cpuSeconds: sum((u) => u.cpuCoreMs, window.since, window.until) / 1000,
    attempts: sum((u) => u.attempts, window.since, window.until),
  };
  let state: QuotaState | undefined;
  if (quota) {
    const since = periodSince(quota.periodDays, nowMs);
    state = { ...quota, periodSince: since, periodGpuSeconds: sum((u) => u.gpuMs, since, addDays(dayOf(nowMs), 1)) / 1000 };
  }
  return { tenantId: tenant.id, tenantName: tenant.name, window, windowText: windowText(window, nowMs), days, total, ...(state && { quota: state }), asOfMs: nowMs };
}
