/**
 * topology-view: a watch-fed, in-memory copy of the topology. The gateway and the scheduler's
 * /metrics read it, so both show what the store says, within one watch event of it.
 */
import { EventEmitter } from 'node:events';
import type { LiveRecord, WorkerRecord } from '../common/worker.js';
import type { TopologyEvent, TopologyStore, TopologyWatch } from './topology-store.js';

/** WorkerChange says what happened to a worker, for WatchWorkers. */
export type WorkerChange = 'joined' | 'online' | 'offline' | 'updated';

/** TopologyView mirrors workers and liveness; it emits 'change' (change, worker, online). */
export class TopologyView extends EventEmitter<{ change: [WorkerChange, WorkerRecord, boolean] }> {
  readonly workers = new Map<string, WorkerRecord>();
  readonly live = new Map<string, LiveRecord>();
  private watch: TopologyWatch | undefined;

  /** start reads the snapshot and follows every later change. */
  static async start(store: TopologyStore): Promise<TopologyView> {
    const view = new TopologyView();
    view.setMaxListeners(0);
    view.watch = await store.watch((event) => view.apply(event));
    for (const worker of view.watch.snapshot.workers) view.workers.set(worker.id, worker);
    for (const [id, live] of view.watch.snapshot.live) view.live.set(id, live);
    return view;
  }

  isOnline(workerId: string): boolean {
    return this.live.has(workerId);
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
    this.removeAllListeners();
  }

  private apply(event: TopologyEvent): void {
    switch (event.type) {
      case 'worker': {
        const known = this.workers.has(event.worker.id);
        this.workers.set(event.worker.id, event.worker);
        this.emit('change', known ? 'updated' : 'joined', event.worker, this.live.has(event.worker.id));
        return;
      }
      case 'online': {
        const wasOnline = this.live.has(event.workerId);
        this.live.set(event.workerId, event.live);
        const worker = this.workers.get(event.workerId);
        if (worker && !wasOnline) this.emit('change', 'online', worker, true);
        return;
      }
      case 'offline': {
        if (!this.live.delete(event.workerId)) return;
        const worker = this.workers.get(event.workerId);
        if (worker) this.emit('change', 'offline', worker, false);
        return;
      }
    }
  }
}
