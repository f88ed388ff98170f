/**
 * topology-view: a watch-fed, in-memory copy of the topology (workers/ and live/ only, on two
 * mirrors). The gateway and the scheduler's placement and /metrics read it, so all show what the
 * store says, within one watch event of it.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../common/logger.js';
import type { LiveRecord, WorkerRecord } from '../common/worker.js';
import { Mirror } from './mirror.js';
import type { TopologyStore } from './topology-store.js';

/** WorkerChange says what happened to a worker, for WatchWorkers. */
export type WorkerChange = 'joined' | 'online' | 'offline' | 'updated';

/** TopologyView mirrors workers and liveness; it emits 'change' (change, worker, online). */
export class TopologyView extends EventEmitter<{ change: [WorkerChange, WorkerRecord, boolean] }> {
  readonly workers = new Map<string, WorkerRecord>();
  readonly live = new Map<string, LiveRecord>();
  private mirrors: Array<Mirror<unknown>> = [];

  /** start reads workers/ and live/ and follows every later change. */
  static async start(store: TopologyStore, logger?: Logger): Promise<TopologyView> {
    const view = new TopologyView();
    view.setMaxListeners(0);
    const { keys } = store;
    const workers = await Mirror.start(store.kv, keys.workersPrefix, store.decodeWorker, {
      put: (_key, worker) => {
        const known = view.workers.has(worker.id);
        view.workers.set(worker.id, worker);
        view.emit('change', known ? 'updated' : 'joined', worker, view.live.has(worker.id));
      },
      delete: (key) => void view.workers.delete(key.slice(keys.workersPrefix.length)),
    }, logger);
    const live = await Mirror.start(store.kv, keys.livePrefix, store.decodeLive, {
      put: (key, record) => {
        const id = key.slice(keys.livePrefix.length);
        const wasOnline = view.live.has(id);
        view.live.set(id, record);
        const worker = view.workers.get(id);
        if (worker && !wasOnline) view.emit('change', 'online', worker, true);
      },
      delete: (key) => {
        const id = key.slice(keys.livePrefix.length);
        if (!view.live.delete(id)) return;
        const worker = view.workers.get(id);
        if (worker) view.emit('change', 'offline', worker, false);
      },
    }, logger);
    view.mirrors = [workers, live] as Array<Mirror<unknown>>;
    return view;
  }

  isOnline(workerId: string): boolean {
    return this.live.has(workerId);
  }

  async stop(): Promise<void> {
    await Promise.all(this.mirrors.map((m) => m.stop()));
    this.removeAllListeners();
  }
}
