import { describe, expect, it } from 'vitest';
import { computeReputation, type ReputationEvent } from '../../src/common/reputation.js';

const H = 3_600_000;
const now = 1_800_000_000_000;

describe('the reputation formula', () => {
  it('computes the worked example of docs/reputation.md', () => {
    const events: ReputationEvent[] = [
      { kind: 'connected', atMs: now - 30 * H },
      { kind: 'disconnected', atMs: now - 6 * H, reason: 'connection lost' },
      { kind: 'connected', atMs: now - 5.5 * H },
      { kind: 'challenge', atMs: now - 29 * H, passed: true },
      { kind: 'challenge', atMs: now - 20 * H, passed: true },
      { kind: 'challenge', atMs: now - 3 * H, passed: false, reason: 'too-slow' },
      ...Array.from({ length: 40 }, (_, i): ReputationEvent => ({ kind: 'shard', atMs: now - 10 * H + i * 1000, outcome: i < 38 ? 'completed' : 'lost' })),
      { kind: 'rtt', atMs: now - H, meanMs: 42, jitterMs: 8, samples: 30 },
    ];
    const score = computeReputation(events, now);
    expect(score.score).toBe(87.262);
    expect(score.components.map((c) => [c.name, Number(c.value.toFixed(4))])).toEqual([
      ['uptime', 0.9904],
      ['stability', 1],
      ['challenges', 0.6],
      ['shards', 0.9286],
      ['jitter', 0.8621],
    ]);
  });

  it('scores a flapping worker below a steady one over the same hour', () => {
    const steady: ReputationEvent[] = [{ kind: 'connected', atMs: now - H }];
    const flapping: ReputationEvent[] = [];
    for (let t = now - H; t < now; t += 60_000) flapping.push({ kind: 'connected', atMs: t }, { kind: 'disconnected', atMs: t + 50_000, reason: 'connection lost' });
    expect(computeReputation(flapping, now).score).toBeLessThan(computeReputation(steady, now).score);
  });

  it('ignores events after the instant it is computed for, so a score can be recomputed later', () => {
    const events: ReputationEvent[] = [{ kind: 'connected', atMs: now - H }, { kind: 'challenge', atMs: now + 1, passed: false }];
    expect(computeReputation(events, now)).toEqual(computeReputation(events.slice(0, 1), now));
  });
});
