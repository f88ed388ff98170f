/**
 * records: each worker's trust record and reputation. It writes trust records (flags, challenge
 * results) with compare-and-swap on one queue, appends the reputation event log (connects,
 * disconnects, challenges, shards, round trips), keeps placement's copy of online workers' scores
 * and rolls finished days up. It decides nothing about challenges: challenges.ts says what to
 * write, this part writes it.
 */
import type { Logger } from '../../common/logger.js';
import { applyEvent, computeReputation, dayOf, startFold, type DayFold, type DayRollup, type ReputationEvent, type ReputationScore } from '../../common/reputation.js';
import { trustStateOf, type TrustFlagRecord, type TrustRecord, type TrustState } from '../../common/trust.js';
import type { WorkerRecord } from '../../common/worker.js';
import type { TopologyView } from '../../store/topology-view.js';
import type { TrustStore } from '../../store/trust-store.js';
import type { TrustView } from '../../store/trust-view.js';

/** REPUTATION_REFRESH_MS: how often placement's copy of online workers' scores is recomputed. */
const REPUTATION_REFRESH_MS = 15_000;
/** ROLLUP_INTERVAL_MS: how often finished days are rolled up. */
const ROLLUP_INTERVAL_MS = 3_600_000;

/** TrustRecords keeps workers' trust records and reputation: the event log, flags, cached scores and day roll-ups. */
export class TrustRecords {
  private readonly scores = new Map<string, ReputationScore>();
  private refresher: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private events: Promise<void> = Promise.resolve();
  /** reputationCopies: per online worker, its rollups and today's fold, for placement's scores. */
  private readonly reputationCopies = new Map<string, { rollups: DayRollup[]; fold: DayFold }>();
  private rollupTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: TrustStore,
    private readonly view: TrustView,
    private readonly topology: TopologyView,
    private readonly logger: Logger,
  ) {
    this.topology.on('change', (change, worker) => {
      if (change === 'offline') this.record(worker.id, { kind: 'disconnected', atMs: Date.now(), reason: 'lease expired' });
    });
    this.refresher = setInterval(() => void this.refreshScores(), REPUTATION_REFRESH_MS);
    this.refresher.unref();
    // Finished days are rolled up hourly (and soon after start): a missed midnight is caught up.
    this.rollupTimer = setInterval(() => void this.rollUpFinishedDays(), ROLLUP_INTERVAL_MS);
    this.rollupTimer.unref();
    setTimeout(() => void this.rollUpFinishedDays(), 10_000).unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.refresher);
    clearInterval(this.rollupTimer);
  }

  /** stateOf is the worker's standing for the hardware it reports now. */
  stateOf(worker: WorkerRecord): TrustState {
    return trustStateOf(this.view.get(worker.id), worker.hardware);
  }

  /** recordOf is the worker's trust record as this replica last saw it. */
  recordOf(workerId: string): TrustRecord | undefined {
    return this.view.get(workerId);
  }

  /** reputation is placement's cached score (recomputed from memory every 15 s). */
  reputation(workerId: string): number | undefined {
    return this.scores.get(workerId)?.score;
  }

  /** uptime30d is placement's cached 30-day uptime share, for min_uptime_30d. */
  uptime30d(workerId: string): number | undefined {
    return this.scores.get(workerId)?.uptime.d30;
  }

  /** reputationOf recomputes a worker's score from the store, as the API and the CLI do. */
  async reputationOf(workerId: string, asOfMs = Date.now()): Promise<ReputationScore> {
    const joinedAtMs = this.topology.workers.get(workerId)?.joinedAtMs ?? asOfMs;
    return computeReputation(await this.store.reputationInputs(workerId, joinedAtMs, asOfMs));
  }

  onConnected(workerId: string): void {
    this.record(workerId, { kind: 'connected', atMs: Date.now() });
  }

  onDisconnected(workerId: string, reason: string): void {
    this.record(workerId, { kind: 'disconnected', atMs: Date.now(), reason });
  }

  onShardOutcome(workerId: string, outcome: 'completed' | 'lost', gpuHours: number): void {
    this.record(workerId, { kind: 'shard', atMs: Date.now(), outcome, gpuHours });
  }

  /** onOutputFlood flags a worker whose agent sent shard output past the cap it was told (sticky, as every flag). */
  onOutputFlood(workerId: string, detail: string): void {
    this.enqueue(() => this.addFlags(workerId, [{ reason: 'output-flood', detail: detail.slice(0, 300), atMs: Date.now() }]));
  }

  onRtt(workerId: string, meanMs: number, jitterMs: number, samples: number): void {
    this.record(workerId, { kind: 'rtt', atMs: Date.now(), meanMs, jitterMs, samples });
  }

  /**
   * enqueue runs a step that reads and writes trust records (or device ids) after the steps
   * queued before it, so this replica's steps for a worker never interleave; a failed step is
   * logged and the queue goes on.
   */
  enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => this.logger.warn({ err }, 'trust step failed'));
  }

  /** addFlags adds flags whose reason and detail are new (flags are sticky until an operator clears them). */
  async addFlags(workerId: string, flags: TrustFlagRecord[]): Promise<void> {
    await this.update(workerId, (r) => {
      const merged = withFlags(r.flags, flags);
      return merged.length === r.flags.length ? undefined : { ...r, flags: merged };
    });
  }

  /** update applies a change to a trust record with compare-and-swap, retrying on conflict. */
  async update(workerId: string, change: (r: TrustRecord) => TrustRecord | undefined): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.get(workerId);
      const next = change(current?.record ?? { workerId, flags: [] });
      if (!next) return;
      const revision = await this.store.put(next, current?.modRevision ?? 0);
      if (revision !== undefined) {
        this.view.set(next, revision);
        return;
      }
    }
    this.logger.warn({ workerId }, 'trust record kept changing under us; giving up this update');
  }

  /**
   * record appends a reputation event on its own queue, so a burst of events never holds up trust
   * decisions; placement's cached score catches up on the next refresh.
   */
  record(workerId: string, event: ReputationEvent): void {
    const copy = this.reputationCopies.get(workerId);
    if (copy && copy.fold.rollup.day === dayOf(Date.now())) applyEvent(copy.fold, { ...event, atMs: Date.now() });
    this.events = this.events
      // Stamped when written, so a score computed "as of" a time before a read sees every event up to it.
      .then(() => this.store.append(workerId, { ...event, atMs: Date.now() }))
      .catch((err: unknown) => this.logger.warn({ err, workerId }, 'appending a reputation event failed'));
  }

  /**
   * refreshScores recomputes placement's copy of online workers' scores from memory: each worker's
   * rollups (read once a day) and today's fold (advanced event by event in record()). The store is
   * read only when the day turns or a worker is new here — never the whole log.
   */
  private async refreshScores(): Promise<void> {
    const now = Date.now();
    const today = dayOf(now);
    for (const id of this.topology.live.keys()) {
      try {
        let copy = this.reputationCopies.get(id);
        const joinedAtMs = this.topology.workers.get(id)?.joinedAtMs ?? now;
        if (!copy || copy.fold.rollup.day !== today) {
          const inputs = await this.store.reputationInputs(id, joinedAtMs, now);
          const yesterday = inputs.rollups.filter((r) => r.day < today).sort((a, b) => a.day.localeCompare(b.day)).at(-1);
          const fold = startFold(today, yesterday);
          for (const e of inputs.today.sort((a, b) => a.atMs - b.atMs)) applyEvent(fold, e);
          copy = { rollups: inputs.rollups, fold };
          this.reputationCopies.set(id, copy);
        }
        this.scores.set(id, computeReputation({ rollups: copy.rollups, today: [], todayFold: copy.fold, joinedAtMs, asOfMs: now }));
      } catch {
        // The store is unreachable; keep the last score.
      }
    }
    for (const id of this.reputationCopies.keys()) if (!this.topology.live.has(id)) this.reputationCopies.delete(id);
  }

  /** rollUpFinishedDays writes the rollup of every finished day of the last week that has none, for every known worker. */
  private async rollUpFinishedDays(): Promise<void> {
    for (const worker of this.topology.workers.values()) {
      // Stopping: the store is about to close under a catch-up that the next start redoes anyway.
      if (this.stopped) return;
      try {
        // Only finished days the worker was there for: no rollup (and no write) before it joined.
        await this.store.rollUpMissingDays(worker.id, worker.joinedAtMs, Date.now());
      } catch (err) {
        this.logger.warn({ err, workerId: worker.id }, 'rolling up reputation days failed; retried next hour');
      }
    }
  }
}

/** withFlags adds the flags whose reason and detail are new (flags are sticky until an operator clears them). */
export function withFlags(existing: TrustFlagRecord[], flags: TrustFlagRecord[]): TrustFlagRecord[] {
  const fresh = flags.filter((f) => !existing.some((g) => g.reason === f.reason && g.detail === f.detail));
  return fresh.length ? [...existing, ...fresh] : existing;
}
