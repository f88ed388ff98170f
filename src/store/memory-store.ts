/**
 * memory-store: the in-memory TopologyStore of `tessera dev` when no etcd is found. Leases are
 * timers with etcd's semantics: a live key vanishes TTL after its last renewal.
 */
import { EventEmitter } from 'node:events';
import type { LiveRecord, WorkerRecord, WorkerView } from '../common/worker.js';
import {
  sortWorkers,
  tokenUsable,
  type JoinOutcome,
  type JoinTokenRecord,
  type LeaseHandle,
  type TopologyEvent,
  type TopologyStore,
  type TopologyWatch,
} from './topology-store.js';

interface MemoryLease {
  timer: NodeJS.Timeout;
  ttlMs: number;
  renewedAtMs: number;
  alive: boolean;
}

interface LiveEntry {
  record: LiveRecord;
  lease: MemoryLease;
}

/** MemoryTopologyStore keeps the topology in this process; it is lost when the process exits. */
export class MemoryTopologyStore implements TopologyStore {
  readonly kind = 'memory';
  private readonly tokens = new Map<string, JoinTokenRecord>();
  private readonly workers = new Map<string, WorkerRecord>();
  private readonly credentials = new Map<string, string>();
  private readonly live = new Map<string, LiveEntry>();
  private readonly events = new EventEmitter();

  constructor(private readonly now: () => number = Date.now) {
    this.events.setMaxListeners(0);
  }

  private caCertificate: string | undefined;

  putCaCertificate(pem: string): Promise<void> {
    this.caCertificate = pem;
    return Promise.resolve();
  }

  getCaCertificate(): Promise<string | undefined> {
    return Promise.resolve(this.caCertificate);
  }

  createJoinToken(tokenHash: string, record: JoinTokenRecord): Promise<void> {
    this.tokens.set(tokenHash, { ...record });
    return Promise.resolve();
  }

  listJoinTokens(): Promise<Array<{ hash: string; record: JoinTokenRecord }>> {
    return Promise.resolve([...this.tokens].map(([hash, record]) => ({ hash, record: { ...record } })));
  }

  revokeWorker(workerId: string, nowMs: number): Promise<'revoked' | 'not-found'> {
    const worker = this.workers.get(workerId);
    if (!worker) return Promise.resolve('not-found');
    this.credentials.delete(workerId);
    this.putWorker({ ...worker, revokedAtMs: worker.revokedAtMs ?? nowMs });
    const entry = this.live.get(workerId);
    if (entry) this.expire(workerId, entry.lease);
    return Promise.resolve('revoked');
  }

  deleteJoinToken(tokenHash: string): Promise<boolean> {
    return Promise.resolve(this.tokens.delete(tokenHash));
  }

  join(tokenHash: string, worker: WorkerRecord, secretHash: string, nowMs: number): Promise<JoinOutcome> {
    const token = this.tokens.get(tokenHash);
    if (!tokenUsable(token, nowMs) || this.workers.has(worker.id)) return Promise.resolve('invalid-token');
    if (token.usesLeft <= 1) this.tokens.delete(tokenHash);
    else this.tokens.set(tokenHash, { ...token, usesLeft: token.usesLeft - 1 });
    this.putWorker(worker);
    this.credentials.set(worker.id, secretHash);
    return Promise.resolve('joined');
  }

  getCredentialHash(workerId: string): Promise<string | undefined> {
    return Promise.resolve(this.credentials.get(workerId));
  }

  getWorker(workerId: string): Promise<WorkerView | undefined> {
    const worker = this.workers.get(workerId);
    return Promise.resolve(worker && this.view(worker));
  }

  listWorkers(): Promise<WorkerView[]> {
    return Promise.resolve(sortWorkers([...this.workers.values()].map((w) => this.view(w))));
  }

  updateWorker(worker: WorkerRecord): Promise<void> {
    if (!this.workers.has(worker.id)) return Promise.reject(new Error(`unknown worker ${worker.id}`));
    this.putWorker(worker);
    return Promise.resolve();
  }

  goOnline(workerId: string, record: LiveRecord, ttlMs: number): Promise<LeaseHandle> {
    const previous = this.live.get(workerId);
    if (previous) clearTimeout(previous.lease.timer);
    const lease: MemoryLease = { timer: undefined as unknown as NodeJS.Timeout, ttlMs, renewedAtMs: this.now(), alive: true };
    lease.timer = this.expiryTimer(workerId, lease);
    this.live.set(workerId, { record: structuredClone(record), lease });
    this.emit({ type: 'online', workerId, live: record });
    return Promise.resolve({
      keepAlive: () => {
        if (!lease.alive) return Promise.resolve(false);
        clearTimeout(lease.timer);
        lease.timer = this.expiryTimer(workerId, lease);
        lease.renewedAtMs = this.now();
        return Promise.resolve(true);
      },
      revoke: () => {
        this.expire(workerId, lease);
        return Promise.resolve();
      },
    });
  }

  watch(onEvent: (event: TopologyEvent) => void): Promise<TopologyWatch> {
    const snapshot = {
      workers: [...this.workers.values()].map((w) => structuredClone(w)),
      live: new Map([...this.live].map(([id, entry]) => [id, structuredClone(entry.record)])),
    };
    // Deliver asynchronously, as etcd does, so a listener never runs inside a store call.
    const listener = (event: TopologyEvent): void => queueMicrotask(() => onEvent(event));
    this.events.on('event', listener);
    return Promise.resolve({
      snapshot,
      stop: () => {
        this.events.off('event', listener);
        return Promise.resolve();
      },
    });
  }

  close(): Promise<void> {
    for (const entry of this.live.values()) clearTimeout(entry.lease.timer);
    this.events.removeAllListeners();
    return Promise.resolve();
  }

  private view(worker: WorkerRecord): WorkerView {
    const entry = this.live.get(worker.id);
    return {
      ...structuredClone(worker),
      online: entry !== undefined,
      ...(entry && { connectedAtMs: entry.record.connectedAtMs, lastHeartbeatAtMs: entry.lease.renewedAtMs }),
    };
  }

  private putWorker(worker: WorkerRecord): void {
    this.workers.set(worker.id, structuredClone(worker));
    this.emit({ type: 'worker', worker: structuredClone(worker) });
  }

  private expiryTimer(workerId: string, lease: MemoryLease): NodeJS.Timeout {
    const timer = setTimeout(() => this.expire(workerId, lease), lease.ttlMs);
    timer.unref();
    return timer;
  }

  private expire(workerId: string, lease: MemoryLease): void {
    lease.alive = false;
    clearTimeout(lease.timer);
    const entry = this.live.get(workerId);
    // A newer lease (a reconnect) owns the key now: the old one's end does not take it offline.
    if (entry?.lease !== lease) return;
    this.live.delete(workerId);
    this.emit({ type: 'offline', workerId });
  }

  private emit(event: TopologyEvent): void {
    this.events.emit('event', event);
  }
}
