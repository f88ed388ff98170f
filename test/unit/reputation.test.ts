import { describe, expect, it } from 'vitest';
import { applyEvent, computeReputation, dayOf, dayStart, finishFold, foldDay, startFold, type DayRollup, type ReputationEvent, type ReputationInputs } from '../../src/common/reputation.js';

const H = 3_600_000;
const D = 24 * H;
/** now: 2027-01-15T15:00:00Z, mid-afternoon, so windows cut days in two. */
const now = Date.parse('2027-01-15T15:00:00.000Z');

/** history folds a list of events (any days) into completed-day rollups plus today's events, as the store holds them. */
function history(events: ReputationEvent[], joinedAtMs: number, asOfMs = now): ReputationInputs {
  const sorted = [...events].sort((a, b) => a.atMs - b.atMs);
  const rollups: DayRollup[] = [];
  let previous: DayRollup | undefined;
  for (let t = dayStart(dayOf(joinedAtMs)); dayOf(t) < dayOf(asOfMs); t += D) {
    const day = dayOf(t);
    previous = foldDay(day, previous, sorted.filter((e) => dayOf(e.atMs) === day));
    rollups.push(previous);
  }
  return { rollups, today: sorted.filter((e) => dayOf(e.atMs) === dayOf(asOfMs)), joinedAtMs, asOfMs };
}

/** The worked example of docs/reputation.md. */
function workedExample(): ReputationEvent[] {
  return [
    { kind: 'connected', atMs: now - 12 * D },
    { kind: 'disconnected', atMs: now - 2 * D, reason: 'connection lost' },
    { kind: 'connected', atMs: now - 2 * D + 6 * H },
    { kind: 'challenge', atMs: now - 11 * D, passed: true },
    { kind: 'challenge', atMs: now - 5 * D, passed: true },
    { kind: 'challenge', atMs: now - 3 * H, passed: false, reason: 'too-slow' },
    { kind: 'shard', atMs: now - 4 * D, outcome: 'completed', gpuHours: 30 },
    { kind: 'shard', atMs: now - 2 * D, outcome: 'lost', gpuHours: 2 },
    { kind: 'rtt', atMs: now - 3 * D, meanMs: 40, jitterMs: 6, samples: 60 },
    { kind: 'rtt', atMs: now - H, meanMs: 44, jitterMs: 9, samples: 60 },
  ];
}

describe('the reputation formula', () => {
  it('computes the worked example of docs/reputation.md', () => {
    const score = computeReputation(history(workedExample(), now - 12 * D));
    expect(score.components.map((c) => [c.name, Number(c.value.toFixed(4))])).toEqual([
      ['uptime', 0.9851],
      ['stability', 1],
      ['challenges', 0.6],
      ['shards', 0.9118],
      ['jitter', 0.8635],
    ]);
    expect(score.uptime).toEqual({ d1: 1, d7: expect.closeTo(0.9643, 4), d30: expect.closeTo(0.9792, 4) });
    expect(score.record).toBe(86.424);
    expect(score.tenureDays).toBe(12);
    expect(score.score).toBe(69.32);
  });

  it('ranks a 30-day veteran above a one-hour-old identity with the same record', () => {
    const record = (joined: number): ReputationEvent[] => [{ kind: 'connected', atMs: joined }, { kind: 'challenge', atMs: joined + 60_000, passed: true }];
    const veteran = computeReputation(history(record(now - 30 * D), now - 30 * D));
    const fresh = computeReputation(history(record(now - H), now - H));
    expect(veteran.record).toBeCloseTo(fresh.record, 0);
    expect(veteran.score).toBeGreaterThan(fresh.score + 25);
    expect(fresh.score).toBeLessThan(42);
  });

  it('keeps a worker connected for 20 days at full uptime: no event has to survive the window', () => {
    const score = computeReputation(history([{ kind: 'connected', atMs: now - 20 * D }], now - 20 * D));
    expect(score.uptime).toEqual({ d1: 1, d7: 1, d30: 1 });
  });

  it('folds events one at a time to the same rollup as folding the day at once', () => {
    const day = dayOf(now);
    const events = workedExample().filter((e) => dayOf(e.atMs) === day);
    const fold = startFold(day, { ...foldDay(dayOf(now - D), undefined, []), connectedAtEnd: true });
    for (const e of events) applyEvent(fold, e);
    expect(finishFold(fold, now)).toEqual(foldDay(day, { ...foldDay(dayOf(now - D), undefined, []), connectedAtEnd: true }, events, now));
  });

  it('counts at most 4 passed challenges a day, so flapping hardware to be challenged often earns nothing', () => {
    const farmed: ReputationEvent[] = [{ kind: 'connected', atMs: now - 2 * H }, { kind: 'challenge', atMs: now - H, passed: false }];
    for (let i = 0; i < 100; i++) farmed.push({ kind: 'challenge', atMs: now - H + i * 1000, passed: true });
    const challenges = computeReputation(history(farmed, now - 2 * H)).components.find((c) => c.name === 'challenges')!;
    expect(challenges.value).toBeCloseTo((4 + 1) / (5 + 2), 6);
  });

  it('scores a flapping worker below a steady one over the same day', () => {
    const steady: ReputationEvent[] = [{ kind: 'connected', atMs: now - 10 * H }];
    const flapping: ReputationEvent[] = [];
    for (let t = now - 10 * H; t < now; t += 600_000) flapping.push({ kind: 'connected', atMs: t }, { kind: 'disconnected', atMs: t + 500_000, reason: 'connection lost' });
    expect(computeReputation(history(flapping, now - 10 * H)).score).toBeLessThan(computeReputation(history(steady, now - 10 * H)).score);
  });

  it('ignores events after the instant it is computed for, so a score can be recomputed later', () => {
    const events: ReputationEvent[] = [{ kind: 'connected', atMs: now - H }, { kind: 'challenge', atMs: now + 1, passed: false }];
    expect(computeReputation(history(events, now - H))).toEqual(computeReputation(history(events.slice(0, 1), now - H)));
  });
});
