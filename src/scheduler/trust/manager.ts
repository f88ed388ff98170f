/**
 * manager: the scheduler's one handle on trust, composed of two parts built in dependency order:
 * the trust records (records.ts: trust records, the reputation event log, placement's scores, day
 * roll-ups) and the challenges that write to them (challenges.ts: when a worker is challenged,
 * and checking its answers). The agent service and the scheduler call this facade; it only
 * forwards, so each event reaches the records before the challenges, as one class did before.
 */
import type { ChallengeCommitment, TileAnswer } from '../../common/challenge.js';
import type { Logger } from '../../common/logger.js';
import type { ReputationScore } from '../../common/reputation.js';
import type { TrustState } from '../../common/trust.js';
import type { WorkerRecord } from '../../common/worker.js';
import type { TopologyView } from '../../store/topology-view.js';
import type { TrustStore } from '../../store/trust-store.js';
import type { TrustView } from '../../store/trust-view.js';
import { Challenges, loadThroughputTable, type ChallengeMetrics, type ChallengeOptions, type TrustLink } from './challenges.js';
import { TrustRecords } from './records.js';

export type { TrustLink } from './challenges.js';

/** TrustOptions are the compiled trust settings: the challenges' and where their throughput table comes from. */
export interface TrustOptions extends ChallengeOptions {
  gpuThroughputFile?: string | undefined;
}

/** TrustMetrics are observed per challenge. */
export type TrustMetrics = ChallengeMetrics;

/** TrustManager challenges workers and keeps their trust records and reputation. */
export class TrustManager {
  private readonly records: TrustRecords;
  private readonly challenges: Challenges;

  constructor(store: TrustStore, readonly view: TrustView, topology: TopologyView, link: TrustLink, options: TrustOptions, metrics: TrustMetrics, logger: Logger) {
    // Leaves first: a bad throughput file fails here, before any timer or listener starts.
    const table = loadThroughputTable(options.gpuThroughputFile);
    this.records = new TrustRecords(store, view, topology, logger);
    this.challenges = new Challenges({ store, records: this.records, topology, link, table, options, metrics, logger });
  }

  stop(): void {
    this.challenges.stop();
    this.records.stop();
  }

  /** stateOf is the worker's standing for the hardware it reports now. */
  stateOf(worker: WorkerRecord): TrustState {
    return this.records.stateOf(worker);
  }

  /** reputation is placement's cached score (recomputed from memory every 15 s). */
  reputation(workerId: string): number | undefined {
    return this.records.reputation(workerId);
  }

  /** uptime30d is placement's cached 30-day uptime share, for min_uptime_30d. */
  uptime30d(workerId: string): number | undefined {
    return this.records.uptime30d(workerId);
  }

  /** reputationOf recomputes a worker's score from the store, as the API and the CLI do. */
  reputationOf(workerId: string, asOfMs = Date.now()): Promise<ReputationScore> {
    return this.records.reputationOf(workerId, asOfMs);
  }

  onConnected(worker: WorkerRecord): void {
    this.records.onConnected(worker.id);
    this.challenges.onConnected(worker);
  }

  onHardwareChanged(worker: WorkerRecord): void {
    this.challenges.onHardwareChanged(worker);
  }

  onDisconnected(workerId: string, reason: string): void {
    this.records.onDisconnected(workerId, reason);
    this.challenges.onDisconnected(workerId, reason);
  }

  onShardOutcome(workerId: string, outcome: 'completed' | 'lost', gpuHours: number): void {
    this.records.onShardOutcome(workerId, outcome, gpuHours);
  }

  /** onOutputFlood flags a worker whose agent sent shard output past the cap it was told (sticky, as every flag). */
  onOutputFlood(workerId: string, detail: string): void {
    this.records.onOutputFlood(workerId, detail);
  }

  onRtt(workerId: string, meanMs: number, jitterMs: number, samples: number): void {
    this.records.onRtt(workerId, meanMs, jitterMs, samples);
  }

  /** onCommit receives the agent's commitment and asks for tiles (or ends that device's challenge). */
  onCommit(workerId: string, commit: ChallengeCommitment): void {
    this.challenges.onCommit(workerId, commit);
  }

  /** onTile checks one revealed tile in a verification thread. */
  onTile(workerId: string, tile: TileAnswer): void {
    this.challenges.onTile(workerId, tile);
  }
}
