/**
 * topology-store: workers, their credentials, join tokens and liveness, over Kv (etcd, or in
 * memory for `tessera dev`). Liveness is a lease: the live key hangs on it, so "online" is a fact
 * the store keeps, and every view (gateway, etcdctl, /metrics) reads the same fact. Every value is
 * decoded through its schema; a corrupt one is logged and skipped.
 */
import { z } from 'zod';
import type { Logger } from '../common/logger.js';
import { liveRecordSchema, workerRecordSchema, type LiveRecord, type WorkerRecord, type WorkerView } from '../common/worker.js';
import { Keys } from './keys.js';
import { decodeEntry, type Kv, type KvEntry } from './kv.js';

/** JoinTokenRecord is what the store keeps of a join token: never the token, only its hash as key. */
export interface JoinTokenRecord {
  usesLeft: number;
  expiresAtMs: number;
  createdAtMs: number;
  description: string;
}

/** JoinOutcome says whether a join went through. */
export type JoinOutcome = 'joined' | 'invalid-token';

/** LeaseHandle is a worker's liveness: alive while renewed, gone TTL after the last renewal. */
export interface LeaseHandle {
  /** keepAlive renews the lease; false when it already expired (the worker went offline meanwhile). */
  keepAlive(): Promise<boolean>;
  /** revoke ends liveness now (the agent said goodbye). */
  revoke(): Promise<void>;
}

/** RETRIES bounds optimistic-concurrency retries when agents spend one token at once (a fleet booting together: tens). */
const RETRIES = 32;

const joinTokenRecordSchema: z.ZodType<JoinTokenRecord> = z.object({
  usesLeft: z.number().int(),
  expiresAtMs: z.number(),
  createdAtMs: z.number(),
  description: z.string(),
});
/** A credential is the hex SHA-256 of the worker's secret, stored as is. */
const CREDENTIAL_HASH = /^[0-9a-f]{64}$/;

/** TopologyStore keeps workers, their credentials, join tokens and liveness. */
export class TopologyStore {
  readonly keys: Keys;

  constructor(
    readonly kv: Kv,
    root: string | undefined,
    private readonly logger: Logger,
  ) {
    this.keys = new Keys(root);
  }

  get kind(): 'etcd' | 'memory' {
    return this.kv.kind;
  }

  /** putCaCertificate publishes the fleet CA's certificate (public), so new join tokens carry its pin. */
  async putCaCertificate(pem: string): Promise<void> {
    await this.kv.txn({ puts: [{ key: this.keys.caCertificate, value: pem }] });
  }

  /** getCaCertificate returns the published CA certificate, if a scheduler serves TLS. */
  async getCaCertificate(): Promise<string | undefined> {
    return (await this.kv.get(this.keys.caCertificate))?.value;
  }

  /** createJoinToken stores a token's hash with its uses and expiry. */
  async createJoinToken(tokenHash: string, record: JoinTokenRecord): Promise<void> {
    await this.kv.txn({ puts: [{ key: this.keys.joinToken(tokenHash), value: JSON.stringify(record) }] });
  }

  /** listJoinTokens returns every stored token: the hash it is kept under and its record. */
  async listJoinTokens(): Promise<Array<{ hash: string; record: JoinTokenRecord }>> {
    const { entries } = await this.kv.range(this.keys.joinTokensPrefix);
    return entries.flatMap((e) => {
      const record = decodeEntry(joinTokenRecordSchema, e, this.logger);
      return record ? [{ hash: e.key.slice(this.keys.joinTokensPrefix.length), record }] : [];
    });
  }

  /** deleteJoinToken removes a token (Join reads the store each time, so it is refused at once); false when absent. */
  async deleteJoinToken(tokenHash: string): Promise<boolean> {
    const key = this.keys.joinToken(tokenHash);
    const found = await this.kv.get(key);
    if (!found) return false;
    return (await this.kv.txn({ compares: [{ key, modRevision: found.modRevision }], deletes: [key] })).succeeded;
  }

  /**
   * revokeWorker ends a worker for good, in one transaction: its credential goes (Connect and
   * RenewCertificate fail from then on), its live key goes (offline now, its shards run
   * elsewhere), and its record says when, so every replica closes its stream on the watch event.
   */
  async revokeWorker(workerId: string, nowMs: number): Promise<'revoked' | 'not-found'> {
    const key = this.keys.worker(workerId);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const found = await this.kv.get(key);
      const record = found && decodeEntry(workerRecordSchema, found, this.logger);
      if (!found || !record) return 'not-found';
      const { succeeded } = await this.kv.txn({
        compares: [{ key, modRevision: found.modRevision }],
        puts: [{ key, value: JSON.stringify({ ...record, revokedAtMs: record.revokedAtMs ?? nowMs }) }],
        deletes: [this.keys.credential(workerId), this.keys.live(workerId)],
      });
      if (succeeded) return 'revoked';
    }
    throw new Error(`worker ${workerId} kept changing while being revoked; try again`);
  }

  /** join atomically spends one use of a token and registers a new worker with its secret's hash. */
  async join(tokenHash: string, worker: WorkerRecord, secretHash: string, nowMs: number): Promise<JoinOutcome> {
    const tokenKey = this.keys.joinToken(tokenHash);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const found = await this.kv.get(tokenKey);
      const token = found && decodeEntry(joinTokenRecordSchema, found, this.logger);
      if (!found || !tokenUsable(token, nowMs)) return 'invalid-token';
      const spent = token.usesLeft <= 1;
      // The token's mod revision fences the spend: of two joins racing for its last use, one wins.
      const { succeeded } = await this.kv.txn({
        compares: [
          { key: tokenKey, modRevision: found.modRevision },
          { key: this.keys.worker(worker.id), modRevision: 0 },
        ],
        puts: [
          ...(spent ? [] : [{ key: tokenKey, value: JSON.stringify({ ...token, usesLeft: token.usesLeft - 1 }) }]),
          { key: this.keys.worker(worker.id), value: JSON.stringify(worker) },
          { key: this.keys.credential(worker.id), value: secretHash },
        ],
        deletes: spent ? [tokenKey] : [],
      });
      if (succeeded) return 'joined';
      // Lost the race for the token: back off a random few milliseconds (growing) so racers spread out.
      await new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 6)));
    }
    return 'invalid-token';
  }

  /** getCredentialHash returns the stored hash of a worker's secret. */
  async getCredentialHash(workerId: string): Promise<string | undefined> {
    const found = await this.kv.get(this.keys.credential(workerId));
    if (!found) return undefined;
    if (CREDENTIAL_HASH.test(found.value)) return found.value;
    this.logger.error({ key: found.key }, 'skipping a stored credential that is not a SHA-256 hash');
    return undefined;
  }

  async getWorker(workerId: string): Promise<WorkerView | undefined> {
    const [workerEntry, liveEntry] = await Promise.all([this.kv.get(this.keys.worker(workerId)), this.kv.get(this.keys.live(workerId))]);
    const record = workerEntry && decodeEntry(workerRecordSchema, workerEntry, this.logger);
    return record && this.view(record, liveEntry);
  }

  async listWorkers(): Promise<WorkerView[]> {
    const [workers, live] = await Promise.all([this.kv.range(this.keys.workersPrefix), this.kv.range(this.keys.livePrefix)]);
    const liveById = new Map(live.entries.map((e) => [e.key.slice(this.keys.livePrefix.length), e]));
    const records = workers.entries.map((e) => decodeEntry(workerRecordSchema, e, this.logger)).filter((r): r is WorkerRecord => r !== undefined);
    return sortWorkers(await Promise.all(records.map((r) => this.view(r, liveById.get(r.id)))));
  }

  /** updateWorker rewrites a known worker's registration (callers write only on change). */
  async updateWorker(worker: WorkerRecord): Promise<void> {
    const key = this.keys.worker(worker.id);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const found = await this.kv.get(key);
      if (!found) throw new Error(`unknown worker ${worker.id}`);
      if ((await this.kv.txn({ compares: [{ key, modRevision: found.modRevision }], puts: [{ key, value: JSON.stringify(worker) }] })).succeeded) return;
    }
    throw new Error(`worker ${worker.id} kept changing while being updated; try again`);
  }

  /** goOnline grants a lease of `ttlMs` and puts the worker's live key on it. */
  async goOnline(workerId: string, live: LiveRecord, ttlMs: number): Promise<LeaseHandle> {
    const lease = await this.kv.grantLease(ttlMs);
    await this.kv.txn({ puts: [{ key: this.keys.live(workerId), value: JSON.stringify(live), lease }] });
    return {
      keepAlive: () => this.kv.keepAlive(lease),
      revoke: () => this.kv.revokeLease(lease),
    };
  }

  /** decodeWorker and decodeLive read a topology key's value for a mirror. */
  decodeWorker = (entry: KvEntry): WorkerRecord | undefined => decodeEntry(workerRecordSchema, entry, this.logger);
  decodeLive = (entry: KvEntry): LiveRecord | undefined => decodeEntry(liveRecordSchema, entry, this.logger);

  /** deleteAll removes every key under the root (tests clean up after themselves). */
  async deleteAll(): Promise<void> {
    for (;;) {
      const page = await this.kv.page(this.keys.root, { limit: 100 });
      if (page.entries.length === 0) return;
      await this.kv.txn({ deletes: page.entries.map((e) => e.key) });
    }
  }

  private async view(record: WorkerRecord, liveEntry: KvEntry | undefined): Promise<WorkerView> {
    const live = liveEntry && this.decodeLive(liveEntry);
    if (!liveEntry || !live) return { ...record, online: false };
    const renewedAtMs = liveEntry.lease ? await this.kv.leaseRenewedAtMs(liveEntry.lease) : undefined;
    return { ...record, online: true, connectedAtMs: live.connectedAtMs, ...(renewedAtMs !== undefined && { lastHeartbeatAtMs: renewedAtMs }) };
  }
}

/** sortWorkers orders a listing: online first, then by id, as `tessera workers` shows it. */
export function sortWorkers(workers: WorkerView[]): WorkerView[] {
  return workers.sort((a, b) => Number(b.online) - Number(a.online) || a.id.localeCompare(b.id));
}

/** tokenUsable says whether a join token record may be spent now. */
export function tokenUsable(record: JoinTokenRecord | undefined, nowMs: number): record is JoinTokenRecord {
  return record !== undefined && record.usesLeft > 0 && record.expiresAtMs > nowMs;
}
