/**
 * topology-store: the contract every store of the fleet's topology honours. Two implementations:
 * etcd (production, several schedulers) and in-memory (`tessera dev` without etcd). One contract
 * test suite (test/unit/store-contract.ts) runs against both.
 */
import type { LiveRecord, WorkerRecord, WorkerView } from '../common/worker.js';

/** JoinTokenRecord is what the store keeps of a join token: never the token, only its hash as key. */
export interface JoinTokenRecord {
  usesLeft: number;
  expiresAtMs: number;
  createdAtMs: number;
  description: string;
}

/** JoinOutcome says whether a join went through. */
export type JoinOutcome = 'joined' | 'invalid-token';

/** TopologyEvent is one change of the topology, in store order. */
export type TopologyEvent =
  | { type: 'worker'; worker: WorkerRecord }
  | { type: 'online'; workerId: string; live: LiveRecord }
  | { type: 'offline'; workerId: string };

/** TopologySnapshot is the topology at one revision: the start of a watch. */
export interface TopologySnapshot {
  workers: WorkerRecord[];
  live: Map<string, LiveRecord>;
}

/** TopologyWatch is a running watch; `stop` ends it. */
export interface TopologyWatch {
  snapshot: TopologySnapshot;
  stop(): Promise<void>;
}

/** LeaseHandle is a worker's liveness: alive while renewed, gone TTL after the last renewal. */
export interface LeaseHandle {
  /** keepAlive renews the lease; false when it already expired (the worker went offline meanwhile). */
  keepAlive(): Promise<boolean>;
  /** revoke ends liveness now (the agent said goodbye). */
  revoke(): Promise<void>;
}

/** TopologyStore keeps workers, their credentials, join tokens and liveness. */
export interface TopologyStore {
  readonly kind: 'etcd' | 'memory';
  /** createJoinToken stores a token's hash with its uses and expiry. */
  createJoinToken(tokenHash: string, record: JoinTokenRecord): Promise<void>;
  /** putCaCertificate publishes the fleet CA's certificate (public), so new join tokens carry its pin. */
  putCaCertificate(pem: string): Promise<void>;
  /** getCaCertificate returns the published CA certificate, if a scheduler serves TLS. */
  getCaCertificate(): Promise<string | undefined>;
  /** listJoinTokens returns every stored token: the hash it is kept under and its record. */
  listJoinTokens(): Promise<Array<{ hash: string; record: JoinTokenRecord }>>;
  /**
   * revokeWorker ends a worker for good, in one transaction: its credential goes (Connect and
   * RenewCertificate fail from then on), its live key goes (offline now, its shards run
   * elsewhere), and its record says when, so every replica closes its stream on the watch event.
   */
  revokeWorker(workerId: string, nowMs: number): Promise<'revoked' | 'not-found'>;
  /** deleteJoinToken removes a token (revocation: Join reads the store each time, so it is refused at once); false when absent. */
  deleteJoinToken(tokenHash: string): Promise<boolean>;
  /** join atomically spends one use of a token and registers a new worker with its secret's hash. */
  join(tokenHash: string, worker: WorkerRecord, secretHash: string, nowMs: number): Promise<JoinOutcome>;
  /** getCredentialHash returns the stored hash of a worker's secret. */
  getCredentialHash(workerId: string): Promise<string | undefined>;
  getWorker(workerId: string): Promise<WorkerView | undefined>;
  listWorkers(): Promise<WorkerView[]>;
  /** updateWorker rewrites a known worker's registration (callers write only on change). */
  updateWorker(worker: WorkerRecord): Promise<void>;
  /** goOnline grants a lease of `ttlMs` and puts the worker's live key on it. */
  goOnline(workerId: string, live: LiveRecord, ttlMs: number): Promise<LeaseHandle>;
  /** watch returns the current snapshot and calls `onEvent` for every later change. */
  watch(onEvent: (event: TopologyEvent) => void): Promise<TopologyWatch>;
  close(): Promise<void>;
}

/** sortWorkers orders a listing: online first, then by id, as `tessera workers` shows it. */
export function sortWorkers(workers: WorkerView[]): WorkerView[] {
  return workers.sort((a, b) => Number(b.online) - Number(a.online) || a.id.localeCompare(b.id));
}

/** tokenUsable says whether a join token record may be spent now. */
export function tokenUsable(record: JoinTokenRecord | undefined, nowMs: number): record is JoinTokenRecord {
  return record !== undefined && record.usesLeft > 0 && record.expiresAtMs > nowMs;
}
