/**
 * reputation: one formula over observable facts, recomputable by anyone (docs/reputation.md).
 * Pure: the API, the placement scorer and `tessera reputation --explain` all call
 * `computeReputation` on the same inputs — daily rollups of completed days, the events of the
 * current day up to the instant, and the worker's join time — and get the same number.
 *
 * A day's rollup is a fold of that day's events (`foldDay`), so a rollup can be rebuilt from the
 * events it came from, and the scheduler keeps today's fold in memory, one event at a time: the
 * score never needs the whole log.
 */
import { z } from 'zod';

/** ReputationEvent is one fact in a worker's log, written by the scheduler (never by the agent). */
export type ReputationEvent =
  | { kind: 'connected'; atMs: number }
  | { kind: 'disconnected'; atMs: number; reason: string }
  | { kind: 'challenge'; atMs: number; passed: boolean; reason?: string }
  /** A shard the worker completed, or lost (its lease expired or its agent restarted under it), weighted by GPU-hours (a CPU shard counts as one GPU). */
  | { kind: 'shard'; atMs: number; outcome: 'completed' | 'lost'; gpuHours?: number }
  /** Round trips the scheduler measured itself (Ping/Pong), since the last report. */
  | { kind: 'rtt'; atMs: number; meanMs: number; jitterMs: number; samples: number };

/** DayRollup is a worker's day (UTC), folded from its events. */
export interface DayRollup {
  /** YYYY-MM-DD, UTC. */
  day: string;
  upMs: number;
  /** Connected when the day ended (or at the instant a partial day was folded to). */
  connectedAtEnd: boolean;
  connects: number;
  challengesPassed: number;
  challengesFailed: number;
  gpuHoursCompleted: number;
  gpuHoursLost: number;
  rttSamples: number;
  rttSumMs: number;
  rttSumSqMs: number;
  events: number;
}

/** reputationEventSchema reads reputation/<worker>/<day>/…; `gpuHours` came later (older shard events count 0). */
export const reputationEventSchema: z.ZodType<ReputationEvent, z.ZodTypeDef, unknown> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('connected'), atMs: z.number() }),
  z.object({ kind: z.literal('disconnected'), atMs: z.number(), reason: z.string() }),
  z.object({ kind: z.literal('challenge'), atMs: z.number(), passed: z.boolean(), reason: z.string().optional() }),
  z.object({ kind: z.literal('shard'), atMs: z.number(), outcome: z.enum(['completed', 'lost']), gpuHours: z.number().optional() }),
  z.object({ kind: z.literal('rtt'), atMs: z.number(), meanMs: z.number(), jitterMs: z.number(), samples: z.number() }),
]);

/** dayRollupSchema reads reputation-days/<worker>/<day>. */
export const dayRollupSchema: z.ZodType<DayRollup, z.ZodTypeDef, unknown> = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  upMs: z.number(),
  connectedAtEnd: z.boolean(),
  connects: z.number(),
  challengesPassed: z.number(),
  challengesFailed: z.number(),
  gpuHoursCompleted: z.number(),
  gpuHoursLost: z.number(),
  rttSamples: z.number(),
  rttSumMs: z.number(),
  rttSumSqMs: z.number(),
  events: z.number(),
});

/** ReputationComponent is one weighted term with the input it came from. */
export interface ReputationComponent {
  name: string;
  value: number;
  weight: number;
  detail: string;
}

/** ReputationScore is 0–100 with its terms, the uptime windows and the tenure it was damped by. */
export interface ReputationScore {
  score: number;
  /** The score before the tenure prior. */
  record: number;
  components: ReputationComponent[];
  uptime: { d1?: number; d7?: number; d30?: number };
  tenureDays: number;
  events: number;
  asOfMs: number;
}

/** ReputationInputs is everything the score depends on. */
export interface ReputationInputs {
  /** Rollups of completed days (any order; days after asOf's day are ignored). */
  rollups: DayRollup[];
  /** Events of asOf's UTC day (those after asOfMs are ignored). */
  today: ReputationEvent[];
  /** Or: today folded so far, event by event (the scheduler's in-memory copy); wins over `today`. */
  todayFold?: DayFold;
  /** When the worker joined (the scheduler's clock): tenure starts here. */
  joinedAtMs: number;
  asOfMs: number;
}

/** REPUTATION_WEIGHTS sum to 1; the reasons are in docs/reputation.md. */
export const REPUTATION_WEIGHTS = { uptime: 0.3, stability: 0.15, challenges: 0.25, shards: 0.2, jitter: 0.1 } as const;
/** TENURE_PRIOR: where a new identity starts: below any worker with a good record, so a fresh identity buys nothing. */
export const TENURE_PRIOR = 40;
/** TENURE_HALF_DAYS: after this many days the record and the prior weigh the same; after 30 days the record is 81 %. */
export const TENURE_HALF_DAYS = 7;
/** ROLLUP_RETENTION_DAYS: 30-day windows plus a day of slack: at most 32 rollups per worker. */
export const ROLLUP_RETENTION_DAYS = 32;

/** PASSES_COUNTED_PER_DAY: a worker challenged every 6 h passes 4 times a day; more passes add nothing. */
export const PASSES_COUNTED_PER_DAY = 4;

const DAY = 86_400_000;

/** dayOf names the UTC day of an instant. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** dayStart is the first millisecond of a UTC day. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** emptyDay is the fold of a day without events. */
function emptyDay(day: string, connectedAtStart: boolean): DayRollup {
  return { day, upMs: 0, connectedAtEnd: connectedAtStart, connects: 0, challengesPassed: 0, challengesFailed: 0, gpuHoursCompleted: 0, gpuHoursLost: 0, rttSamples: 0, rttSumMs: 0, rttSumSqMs: 0, events: 0 };
}

/** DayFold is a day being folded: the rollup so far and since when the worker is connected. */
export interface DayFold {
  rollup: DayRollup;
  connectedSince?: number;
}

/** startFold begins a day; connected at its start when the previous day ended connected. */
export function startFold(day: string, previous: DayRollup | undefined): DayFold {
  const connected = previous?.connectedAtEnd ?? false;
  return { rollup: emptyDay(day, connected), ...(connected && { connectedSince: dayStart(day) }) };
}

/** applyEvent folds one event (in time order) into a day. */
export function applyEvent(fold: DayFold, e: ReputationEvent): void {
  const r = fold.rollup;
  r.events++;
  switch (e.kind) {
    case 'connected':
      r.connects++;
      fold.connectedSince ??= e.atMs;
      break;
    case 'disconnected':
      if (fold.connectedSince !== undefined) r.upMs += Math.max(0, e.atMs - fold.connectedSince);
      delete fold.connectedSince;
      break;
    case 'challenge':
      // Passes beyond a few a day do not count: a worker cannot farm them by flapping its
      // reported hardware (each change brings a challenge). Failures always count.
      if (e.passed) r.challengesPassed = Math.min(PASSES_COUNTED_PER_DAY, r.challengesPassed + 1);
      else r.challengesFailed++;
      break;
    case 'shard':
      if (e.outcome === 'completed') r.gpuHoursCompleted += e.gpuHours ?? 0;
      else r.gpuHoursLost += e.gpuHours ?? 0;
      break;
    case 'rtt':
      r.rttSamples += e.samples;
      r.rttSumMs += e.meanMs * e.samples;
      r.rttSumSqMs += e.samples * (e.jitterMs ** 2 + e.meanMs ** 2);
      break;
  }
}

/** finishFold closes a day's fold at `untilMs` (the day's end, or the instant a partial day is scored for). */
export function finishFold(fold: DayFold, untilMs: number): DayRollup {
  const r = { ...fold.rollup };
  r.connectedAtEnd = fold.connectedSince !== undefined;
  if (fold.connectedSince !== undefined) r.upMs += Math.max(0, untilMs - fold.connectedSince);
  return r;
}

/** foldDay folds a whole day (or its part up to `untilMs`) from its events. */
export function foldDay(day: string, previous: DayRollup | undefined, events: ReputationEvent[], untilMs = dayStart(day) + DAY): DayRollup {
  const fold = startFold(day, previous);
  for (const e of [...events].sort((a, b) => a.atMs - b.atMs)) if (e.atMs <= untilMs) applyEvent(fold, e);
  return finishFold(fold, untilMs);
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** computeReputation scores a worker as of `asOfMs` from its rollups, today's events and its join time. */
export function computeReputation(input: ReputationInputs): ReputationScore {
  const { asOfMs, joinedAtMs } = input;
  const todayName = dayOf(asOfMs);
  const past = input.rollups.filter((r) => r.day < todayName).sort((a, b) => a.day.localeCompare(b.day));
  const yesterday = past.at(-1);
  const todayEvents = input.today.filter((e) => e.atMs <= asOfMs && dayOf(e.atMs) === todayName);
  const previous = yesterday && dayStart(yesterday.day) === dayStart(todayName) - DAY ? yesterday : undefined;
  const today = input.todayFold?.rollup.day === todayName ? finishFold(input.todayFold, asOfMs) : foldDay(todayName, previous, todayEvents, asOfMs);
  const days = [...past, today];

  /** sumOver adds a field over the days overlapping [asOf − n days, asOf], a partly covered day by its covered share. */
  const over = (n: number) => {
    const from = Math.max(asOfMs - n * DAY, joinedAtMs);
    let span = 0;
    // A day's figures cover [its start or the join, its end or asOf]; a window cutting that span takes its share.
    const take = (pick: (r: DayRollup) => number): number =>
      days.reduce((sum, r) => {
        const start = Math.max(dayStart(r.day), joinedAtMs);
        const end = Math.min(dayStart(r.day) + DAY, asOfMs);
        const overlap = Math.max(0, end - Math.max(start, from));
        return sum + (end > start ? pick(r) * (overlap / (end - start)) : 0);
      }, 0);
    for (const r of days) {
      const start = dayStart(r.day);
      span += Math.max(0, Math.min(start + DAY, asOfMs) - Math.max(start, from));
    }
    return { span, take };
  };
  const uptimeFor = (n: number): number | undefined => {
    const w = over(n);
    return w.span > 0 ? Math.min(1, w.take((r) => r.upMs) / w.span) : undefined;
  };
  const uptime = { d1: uptimeFor(1), d7: uptimeFor(7), d30: uptimeFor(30) };
  const components: ReputationComponent[] = [];

  const windows: Array<[string, number | undefined, number]> = [['1d', uptime.d1, 0.5], ['7d', uptime.d7, 0.3], ['30d', uptime.d30, 0.2]];
  const known = windows.filter(([, v]) => v !== undefined);
  const uptimeValue = known.length ? known.reduce((n, [, v, w]) => n + v! * w, 0) / known.reduce((n, [, , w]) => n + w, 0) : 0.5;
  components.push({ name: 'uptime', value: uptimeValue, weight: REPUTATION_WEIGHTS.uptime, detail: known.length ? windows.map(([n, v]) => `${n} ${v === undefined ? 'n/a' : pct(v)}`).join(', ') + ' (weighted 0.5/0.3/0.2)' : 'no time since joining yet (neutral 50%)' });

  const connects = over(1).take((r) => r.connects);
  const stability = 1 / (1 + Math.max(0, connects - 1) / 4);
  components.push({ name: 'stability', value: stability, weight: REPUTATION_WEIGHTS.stability, detail: `${connects.toFixed(1)} connection(s) in the last day; each beyond the first costs (1 + extra/4)⁻¹` });

  const month = over(30);
  const passed = month.take((r) => r.challengesPassed);
  const failed = month.take((r) => r.challengesFailed);
  components.push({ name: 'challenges', value: (passed + 1) / (passed + failed + 2), weight: REPUTATION_WEIGHTS.challenges, detail: `${passed.toFixed(1)} passed, ${failed.toFixed(1)} failed in 30 days, (passed + 1) / (total + 2)` });

  const completed = month.take((r) => r.gpuHoursCompleted);
  const lost = month.take((r) => r.gpuHoursLost);
  components.push({ name: 'shards', value: (completed + 1) / (completed + lost + 2), weight: REPUTATION_WEIGHTS.shards, detail: `${completed.toFixed(2)} GPU-hours completed, ${lost.toFixed(2)} lost by the worker in 30 days, (completed + 1) / (total + 2)` });

  const week = over(7);
  const samples = week.take((r) => r.rttSamples);
  const mean = samples > 0 ? week.take((r) => r.rttSumMs) / samples : undefined;
  const jitterMs = mean === undefined ? undefined : Math.sqrt(Math.max(0, week.take((r) => r.rttSumSqMs) / samples - mean ** 2));
  const jitter = jitterMs === undefined ? 0.5 : 1 / (1 + jitterMs / 50);
  components.push({ name: 'jitter', value: jitter, weight: REPUTATION_WEIGHTS.jitter, detail: jitterMs === undefined ? 'no round trip measured yet (neutral 50%)' : `round trip ${mean!.toFixed(1)} ms ± ${jitterMs.toFixed(1)} ms over 7 days (measured by the scheduler), (1 + jitter/50 ms)⁻¹` });

  const record = 100 * components.reduce((n, c) => n + c.value * c.weight, 0);
  const tenureDays = Math.max(0, asOfMs - joinedAtMs) / DAY;
  const trust = tenureDays / (tenureDays + TENURE_HALF_DAYS);
  const score = trust * record + (1 - trust) * TENURE_PRIOR;
  const round3 = (v: number): number => Math.round(v * 1000) / 1000;
  return { score: round3(score), record: round3(record), components, uptime, tenureDays: round3(tenureDays), events: days.reduce((n, r) => n + r.events, 0), asOfMs };
}

/** tenureDetail explains the prior in words, for --explain. */
export function tenureDetail(s: ReputationScore): string {
  const trust = s.tenureDays / (s.tenureDays + TENURE_HALF_DAYS);
  return `tenure ${s.tenureDays.toFixed(2)} days: score = ${trust.toFixed(3)} × record ${s.record.toFixed(3)} + ${(1 - trust).toFixed(3)} × prior ${TENURE_PRIOR}`;
}

