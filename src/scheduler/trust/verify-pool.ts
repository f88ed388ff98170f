/**
 * verify-pool: a few worker threads that check revealed challenge tiles. Verification is pure CPU
 * (deriving a K×W block of B and Freivalds rounds, tens of ms per tile at GPU sizes); on the
 * event loop a burst of it would delay heartbeats and lease renewals, so it runs here instead.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChallengeShape, RevealedTile, Verdict } from '../../common/challenge.js';
import type { VerifyRequest, VerifyResponse } from './verify-task.js';

const ENTRY = new URL('./verify-worker.mjs', import.meta.url);

/** defaultVerifyThreads: leave one core to the event loop; at least one thread. */
export function defaultVerifyThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Waiting {
  resolve: (r: { verdict: Verdict; ms: number }) => void;
  reject: (e: Error) => void;
}

/** VerifyPool hands tiles to the least-loaded thread and resolves each with its verdict. */
export class VerifyPool {
  private readonly threads: Array<{ worker: Worker; load: number }> = [];
  private readonly waiting = new Map<number, Waiting & { thread: number }>();
  private nextId = 0;
  private closed = false;

  constructor(size = defaultVerifyThreads()) {
    for (let i = 0; i < size; i++) this.threads.push({ worker: this.spawn(i), load: 0 });
  }

  private spawn(index: number): Worker {
    const worker = new Worker(ENTRY);
    worker.unref();
    worker.on('message', (res: VerifyResponse) => {
      const w = this.waiting.get(res.id);
      if (!w) return;
      this.waiting.delete(res.id);
      this.threads[index]!.load--;
      w.resolve({ verdict: res.verdict, ms: res.ms });
    });
    const failAll = (err: Error): void => {
      for (const [id, w] of this.waiting) {
        if (w.thread !== index) continue;
        this.waiting.delete(id);
        w.reject(err);
      }
      this.threads[index]!.load = 0;
      // A thread that died is replaced, so one bad tile cannot stop verification.
      if (!this.closed) this.threads[index]!.worker = this.spawn(index);
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => code !== 0 && !this.closed && failAll(new Error(`verification thread exited with code ${code}`)));
    return worker;
  }

  /** verify checks one revealed tile; resolves with the verdict and the thread's time. */
  verify(seed: Buffer, shape: ChallengeShape, root: Buffer, tile: RevealedTile, rounds: number): Promise<{ verdict: Verdict; ms: number }> {
    if (this.closed) return Promise.reject(new Error('verification pool closed'));
    let index = 0;
    for (let i = 1; i < this.threads.length; i++) if (this.threads[i]!.load < this.threads[index]!.load) index = i;
    const id = ++this.nextId;
    const request: VerifyRequest = { id, seed, shape, root, tile, rounds };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, thread: index });
      this.threads[index]!.load++;
      this.threads[index]!.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
    for (const w of this.waiting.values()) w.reject(new Error('verification pool closed'));
    this.waiting.clear();
  }
}
