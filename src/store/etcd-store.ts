/**
 * etcd-store: the TopologyStore on a real etcd (v3 API through the `etcd3` client). Liveness is
 * an etcd lease: the live key is attached to it, so "online" is a fact etcd keeps, and every
 * view (gateway, etcdctl, /metrics) reads the same fact. Leases are renewed on one shared
 * keep-alive stream, not one stream per worker.
 */
import { etcdClientOptions, type EtcdSecurity } from './etcd-security.js';
import { Etcd3, type IKeyValue, type IOptions } from 'etcd3';
import { StoreUnavailable } from '../common/errors.js';
import { liveRecordSchema, workerRecordSchema, type LiveRecord, type WorkerRecord, type WorkerView } from '../common/worker.js';
import type { Logger } from '../common/logger.js';
import { TopologyKeys } from './keys.js';
import { LeaseKeeper } from './lease-keeper.js';
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
import { z } from 'zod';

/** JOIN_RETRIES bounds optimistic-concurrency retries when agents spend one token at once (a fleet booting together: tens). */
const JOIN_RETRIES = 32;

const joinTokenRecordSchema: z.ZodType<JoinTokenRecord> = z.object({
  usesLeft: z.number().int(),
  expiresAtMs: z.number(),
  createdAtMs: z.number(),
  description: z.string(),
});

/** EtcdStoreOptions: endpoints ("http://127.0.0.1:2379"), key root, and the logger for dropped values. */
export interface EtcdStoreOptions {
  endpoints: string[];
  root?: string;
  logger: Logger;
  dialTimeoutMs?: number;
  security?: EtcdSecurity;
}

/** EtcdTopologyStore keeps the topology in etcd under `root` (default /tessera/v1/). */
export class EtcdTopologyStore implements TopologyStore {
  readonly kind = 'etcd';
  readonly keys: TopologyKeys;
  private readonly client: Etcd3;
  private readonly keeper: LeaseKeeper;

  constructor(private readonly options: EtcdStoreOptions) {
    this.keys = new TopologyKeys(options.root);
    const etcdOptions: IOptions = etcdClientOptions(options.endpoints, options.security, { dialTimeout: options.dialTimeoutMs ?? 5_000 });
    this.client = new Etcd3(etcdOptions);
    this.keeper = new LeaseKeeper(this.client, options.logger);
  }

  /** ping checks that etcd answers, so a wrong URL fails at start-up with a clear message. */
  async ping(): Promise<void> {
    try {
      await this.client.maintenance.status({ deadline: Date.now() + (this.options.dialTimeoutMs ?? 5_000) });
    } catch (err) {
      throw new StoreUnavailable(`etcd at ${this.options.endpoints.join(',')} does not answer: ${(err as Error).message}`, { cause: err });
    }
  }

  async putCaCertificate(pem: string): Promise<void> {
    await this.client.put(this.keys.caCertificate).value(pem);
  }

  async getCaCertificate(): Promise<string | undefined> {
    return (await this.client.get(this.keys.caCertificate).string()) ?? undefined;
  }

  async createJoinToken(tokenHash: string, record: JoinTokenRecord): Promise<void> {
    await this.client.put(this.keys.joinToken(tokenHash)).value(JSON.stringify(record));
  }

  async listJoinTokens(): Promise<Array<{ hash: string; record: JoinTokenRecord }>> {
    const prefix = this.keys.joinToken('');
    const found = await this.client.getAll().prefix(prefix).exec();
    return found.kvs.flatMap((kv) => {
      const record = this.decode(joinTokenRecordSchema, kv);
      return record ? [{ hash: kv.key.toString().slice(prefix.length), record }] : [];
    });
  }

  async revokeWorker(workerId: string, nowMs: number): Promise<'revoked' | 'not-found'> {
    for (let attempt = 0; attempt < JOIN_RETRIES; attempt++) {
      const found = await this.client.get(this.keys.worker(workerId)).exec();
      const kv = found.kvs[0];
      const record = kv && this.decode(workerRecordSchema, kv);
      if (!kv || !record) return 'not-found';
      const result = await this.client
        .if(this.keys.worker(workerId), 'Mod', '==', kv.mod_revision)
        .then(
          this.client.put(this.keys.worker(workerId)).value(JSON.stringify({ ...record, revokedAtMs: record.revokedAtMs ?? nowMs })),
          this.client.delete().key(this.keys.credential(workerId)),
          this.client.delete().key(this.keys.live(workerId)),
        )
        .commit();
      if (result.succeeded) return 'revoked';
    }
    throw new Error(`worker ${workerId} kept changing while being revoked; try again`);
  }

  async deleteJoinToken(tokenHash: string): Promise<boolean> {
    const result = await this.client.delete().key(this.keys.joinToken(tokenHash)).exec();
    return Number(result.deleted) > 0;
  }

  async join(tokenHash: string, worker: WorkerRecord, secretHash: string, nowMs: number): Promise<JoinOutcome> {
    const tokenKey = this.keys.joinToken(tokenHash);
    for (let attempt = 0; attempt < JOIN_RETRIES; attempt++) {
      const found = await this.client.get(tokenKey).exec();
      const kv = found.kvs[0];
      const token = kv && this.decode(joinTokenRecordSchema, kv);
      if (!kv || !tokenUsable(token, nowMs)) return 'invalid-token';
      const spend =
        token.usesLeft <= 1
          ? this.client.delete().key(tokenKey)
          : this.client.put(tokenKey).value(JSON.stringify({ ...token, usesLeft: token.usesLeft - 1 }));
      // The token's mod revision fences the spend: of two joins racing for its last use, one wins.
      const result = await this.client
        .if(tokenKey, 'Mod', '==', kv.mod_revision)
        .and(this.keys.worker(worker.id), 'Create', '==', 0)
        .then(
          spend,
          this.client.put(this.keys.worker(worker.id)).value(JSON.stringify(worker)),
          this.client.put(this.keys.credential(worker.id)).value(secretHash),
        )
        .commit();
      if (result.succeeded) return 'joined';
      // Lost the race for the token: back off a random few milliseconds (growing) so racers spread out.
      await new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 6)));
    }
    return 'invalid-token';
  }

  async getCredentialHash(workerId: string): Promise<string | undefined> {
    return (await this.client.get(this.keys.credential(workerId)).string()) ?? undefined;
  }

  async getWorker(workerId: string): Promise<WorkerView | undefined> {
    const [workerKv, liveKv] = await Promise.all([
      this.client.get(this.keys.worker(workerId)).exec(),
      this.client.get(this.keys.live(workerId)).exec(),
    ]);
    const record = workerKv.kvs[0] && this.decode(workerRecordSchema, workerKv.kvs[0]);
    if (!record) return undefined;
    return this.view(record, liveKv.kvs[0]);
  }

  async listWorkers(): Promise<WorkerView[]> {
    const [workers, live] = await Promise.all([
      this.client.getAll().prefix(this.keys.workersPrefix).exec(),
      this.client.getAll().prefix(this.keys.livePrefix).exec(),
    ]);
    const liveById = new Map(live.kvs.map((kv) => [kv.key.toString().slice(this.keys.livePrefix.length), kv]));
    const records = workers.kvs.map((kv) => this.decode(workerRecordSchema, kv)).filter((r): r is WorkerRecord => r !== undefined);
    return sortWorkers(await Promise.all(records.map((r) => this.view(r, liveById.get(r.id)))));
  }

  async updateWorker(worker: WorkerRecord): Promise<void> {
    const key = this.keys.worker(worker.id);
    const result = await this.client.if(key, 'Create', '>', 0).then(this.client.put(key).value(JSON.stringify(worker))).commit();
    if (!result.succeeded) throw new Error(`unknown worker ${worker.id}`);
  }

  async goOnline(workerId: string, live: LiveRecord, ttlMs: number): Promise<LeaseHandle> {
    const leaseId = await this.keeper.grant(ttlMs);
    await this.client.put(this.keys.live(workerId)).value(JSON.stringify(live)).lease(leaseId);
    return {
      keepAlive: () => this.keeper.keepAlive(leaseId),
      revoke: () => this.keeper.revoke(leaseId),
    };
  }

  async watch(onEvent: (event: TopologyEvent) => void): Promise<TopologyWatch> {
    const [workers, live] = await Promise.all([
      this.client.getAll().prefix(this.keys.workersPrefix).exec(),
      this.client.getAll().prefix(this.keys.livePrefix).exec(),
    ]);
    // Start after the older of the two reads so no change between them is missed; a replayed
    // event only re-applies a value the snapshot already has.
    const revision = BigInt(workers.header.revision) < BigInt(live.header.revision) ? workers.header.revision : live.header.revision;
    const snapshot = {
      workers: workers.kvs.map((kv) => this.decode(workerRecordSchema, kv)).filter((r): r is WorkerRecord => r !== undefined),
      live: new Map<string, LiveRecord>(),
    };
    for (const kv of live.kvs) {
      const record = this.decode(liveRecordSchema, kv);
      if (record) snapshot.live.set(kv.key.toString().slice(this.keys.livePrefix.length), record);
    }
    const watcher = await this.client.watch().prefix(this.keys.root).startRevision(String(BigInt(revision) + 1n)).create();
    watcher.on('put', (kv) => {
      const parsed = this.keys.parse(kv.key.toString());
      if (parsed?.kind === 'worker') {
        const worker = this.decode(workerRecordSchema, kv);
        if (worker) onEvent({ type: 'worker', worker });
      } else if (parsed?.kind === 'live') {
        const record = this.decode(liveRecordSchema, kv);
        if (record) onEvent({ type: 'online', workerId: parsed.id, live: record });
      }
    });
    watcher.on('delete', (kv) => {
      const parsed = this.keys.parse(kv.key.toString());
      if (parsed?.kind === 'live') onEvent({ type: 'offline', workerId: parsed.id });
    });
    watcher.on('error', (err) => this.options.logger.warn({ err }, 'etcd watch error; the client resumes it'));
    return { snapshot, stop: () => watcher.cancel() };
  }

  async close(): Promise<void> {
    this.keeper.close();
    this.client.close();
    return Promise.resolve();
  }

  /** deleteAll removes every key under the root (tests clean up after themselves). */
  async deleteAll(): Promise<void> {
    await this.client.delete().prefix(this.keys.root);
  }

  private async view(record: WorkerRecord, liveKv: IKeyValue | undefined): Promise<WorkerView> {
    const live = liveKv && this.decode(liveRecordSchema, liveKv);
    if (!liveKv || !live) return { ...record, online: false };
    const renewedAtMs = await this.keeper.lastRenewalMs(liveKv.lease);
    return {
      ...record,
      online: true,
      connectedAtMs: live.connectedAtMs,
      ...(renewedAtMs !== undefined && { lastHeartbeatAtMs: renewedAtMs }),
    };
  }

  /** decode parses a stored JSON value; a corrupt value is logged and skipped, never thrown to a client. */
  private decode<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, kv: IKeyValue): T | undefined {
    try {
      const parsed = schema.safeParse(JSON.parse(kv.value.toString()));
      if (parsed.success) return parsed.data;
      this.options.logger.error({ key: kv.key.toString(), issues: parsed.error.issues }, 'skipping a stored value that does not match its schema');
    } catch (err) {
      this.options.logger.error({ key: kv.key.toString(), err }, 'skipping a stored value that is not JSON');
    }
    return undefined;
  }
}
