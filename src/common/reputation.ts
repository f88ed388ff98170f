/**
 * reputation: one formula over observable facts, recomputable by anyone from a worker's event
 * log (docs/reputation.md). Pure: the API, the placement scorer and `tessera reputation
 * --explain` all call `computeReputation` on the same events at the same instant.
 */

/** ReputationEvent is one fact in a worker's log. */
export type ReputationEvent =
  | { kind: 'connected'; atMs: number }
  | { kind: 'disconnected'; atMs: number; reason: string }
  | { kind: 'challenge'; atMs: number; passed: boolean; reason?: string }
  | { kind: 'shard'; atMs: number; outcome: 'completed' | 'lost' }
  | { kind: 'rtt'; atMs: number; meanMs: number; jitterMs: number; samples: number };

/** ReputationComponent is one weighted term with the input it came from. */
export interface ReputationComponent {
  name: string;
  value: number;
  weight: number;
  detail: string;
}

/** ReputationScore is 0–100 with its terms. */
export interface ReputationScore {
  score: number;
  components: ReputationComponent[];
  events: number;
  asOfMs: number;
}

/** WEIGHTS sum to 1; the reasons are in docs/reputation.md. */
export const REPUTATION_WEIGHTS = { uptime: 0.3, stability: 0.2, challenges: 0.25, shards: 0.15, jitter: 0.1 } as const;

const HOUR = 3_600_000;
const WINDOWS: Array<[string, number, number]> = [
  ['1h', HOUR, 0.5],
  ['24h', 24 * HOUR, 0.3],
  ['7d', 7 * 24 * HOUR, 0.2],
];

/** uptimeIn is the share of [from, to) the worker was connected, from connected/disconnected events. */
function uptimeIn(events: ReputationEvent[], from: number, to: number): number | undefined {
  const first = events.find((e) => e.kind === 'connected');
  if (!first || first.atMs >= to) return undefined;
  const start = Math.max(from, first.atMs);
  if (to <= start) return undefined;
  let up = 0;
  let since: number | undefined;
  for (const e of events) {
    if (e.atMs > to) break;
    if (e.kind === 'connected' && since === undefined) since = e.atMs;
    if (e.kind === 'disconnected' && since !== undefined) {
      up += Math.max(0, Math.min(e.atMs, to) - Math.max(since, start));
      since = undefined;
    }
  }
  if (since !== undefined) up += Math.max(0, to - Math.max(since, start));
  return up / (to - start);
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** computeReputation scores a worker from its events as of `asOfMs` (events after it are ignored). */
export function computeReputation(all: ReputationEvent[], asOfMs: number): ReputationScore {
  const events = all.filter((e) => e.atMs <= asOfMs).sort((a, b) => a.atMs - b.atMs);
  const components: ReputationComponent[] = [];

  const uptimes = WINDOWS.map(([name, span, weight]) => [name, uptimeIn(events, asOfMs - span, asOfMs), weight] as const);
  const known = uptimes.filter(([, v]) => v !== undefined);
  const uptime = known.length ? known.reduce((n, [, v, w]) => n + v! * w, 0) / known.reduce((n, [, , w]) => n + w, 0) : 0.5;
  components.push({ name: 'uptime', value: uptime, weight: REPUTATION_WEIGHTS.uptime, detail: known.length ? uptimes.map(([n, v]) => `${n} ${v === undefined ? 'n/a' : pct(v)}`).join(', ') : 'no connection recorded yet (neutral 50%)' });

  const connects = events.filter((e) => e.kind === 'connected' && e.atMs > asOfMs - 24 * HOUR).length;
  const stability = 1 / (1 + Math.max(0, connects - 1) / 4);
  components.push({ name: 'stability', value: stability, weight: REPUTATION_WEIGHTS.stability, detail: `${connects} connection(s) in 24h; each beyond the first costs (1 + extra/4)⁻¹` });

  const challenges = events.filter((e): e is Extract<ReputationEvent, { kind: 'challenge' }> => e.kind === 'challenge');
  const passed = challenges.filter((c) => c.passed).length;
  const challengeRatio = (passed + 1) / (challenges.length + 2);
  components.push({ name: 'challenges', value: challengeRatio, weight: REPUTATION_WEIGHTS.challenges, detail: `${passed} of ${challenges.length} passed, (passed + 1) / (total + 2)` });

  const shards = events.filter((e): e is Extract<ReputationEvent, { kind: 'shard' }> => e.kind === 'shard');
  const completed = shards.filter((s) => s.outcome === 'completed').length;
  const shardRatio = (completed + 1) / (shards.length + 2);
  components.push({ name: 'shards', value: shardRatio, weight: REPUTATION_WEIGHTS.shards, detail: `${completed} completed, ${shards.length - completed} lost by the worker, (completed + 1) / (total + 2)` });

  const rtts = events.filter((e): e is Extract<ReputationEvent, { kind: 'rtt' }> => e.kind === 'rtt' && e.samples > 0);
  const jitterMs = rtts.length ? rtts.reduce((n, r) => n + r.jitterMs * r.samples, 0) / rtts.reduce((n, r) => n + r.samples, 0) : undefined;
  const jitter = jitterMs === undefined ? 0.5 : 1 / (1 + jitterMs / 50);
  components.push({ name: 'jitter', value: jitter, weight: REPUTATION_WEIGHTS.jitter, detail: jitterMs === undefined ? 'no heartbeat RTT recorded yet (neutral 50%)' : `heartbeat RTT jitter ${jitterMs.toFixed(1)} ms, (1 + jitter/50 ms)⁻¹` });

  const score = 100 * components.reduce((n, c) => n + c.value * c.weight, 0);
  return { score: Math.round(score * 1000) / 1000, components, events: events.length, asOfMs };
}
