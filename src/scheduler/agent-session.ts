/**
 * agent-session: one agent's Connect stream on this replica. It keeps per-beat state in memory
 * and touches the store only to renew the lease (rate-limited) or when something changed.
 */
import { randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { ConnectRequest } from '../gen/tessera/v1/ConnectRequest.js';
import type { ConnectResponseWire } from '../gen/tessera/v1/ConnectResponse.js';
import type { Heartbeat } from '../gen/tessera/v1/Heartbeat.js';
import type { Logger } from '../common/logger.js';
import type { LiveRecord } from '../common/worker.js';
import type { LeaseHandle, TopologyStore } from '../store/topology-store.js';
import type { SchedulerMetrics } from './metrics.js';

/** RTT_WINDOW: round trips kept per session for the p99 (about three minutes of 2 s beats). */
const RTT_WINDOW = 100;
/** RTT_MIN_SAMPLES: fewer round trips than this say little about the tail. */
const RTT_MIN_SAMPLES = 5;

/** SessionTimings are the compiled liveness settings a session needs. */
export interface SessionTimings {
  leaseTtlMs: number;
  heartbeatIntervalMs: number;
  rttReportIntervalMs: number;
}

/** AgentSession tracks one connected agent. */
export class AgentSession {
  lastBeatAtMs: number;
  /** RTT samples (ms, measured by this scheduler with Ping/Pong) since the last report to the reputation log. */
  private rtts: number[] = [];
  /** The last RTT_WINDOW samples, for the p99 a challenge's limit allows for. */
  private readonly recentRtts: number[] = [];
  private pingSentAt = new Map<number, number>();
  private rttReportedAt = Date.now();
  /** onRttReport receives each window's mean and jitter (standard deviation), in ms. */
  onRttReport: ((meanMs: number, jitterMs: number, samples: number) => void) | undefined;
  private lastRenewAtMs: number;
  private renewing = false;
  private watchdog: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly workerId: string,
    readonly call: grpc.ServerDuplexStream<ConnectRequest, ConnectResponseWire>,
    private lease: LeaseHandle,
    private readonly live: LiveRecord,
    private readonly store: TopologyStore,
    private readonly timings: SessionTimings,
    private readonly metrics: SchedulerMetrics,
    private readonly logger: Logger,
  ) {
    this.lastBeatAtMs = Date.now();
    this.lastRenewAtMs = this.lastBeatAtMs;
    this.watchdog = this.armWatchdog();
  }

  /** onHeartbeat records a beat, renews the lease when due, and answers. */
  onHeartbeat(beat: Heartbeat): void {
    const now = Date.now();
    this.metrics.heartbeatLag.observe((now - this.lastBeatAtMs) / 1000);
    this.lastBeatAtMs = now;
    // The agent's own RTT figure (beat.lastRttUs) is a claim: never used for trust or limits.
    if (now - this.rttReportedAt >= this.timings.rttReportIntervalMs && this.rtts.length > 0) {
      const mean = this.rtts.reduce((a, b) => a + b, 0) / this.rtts.length;
      const jitter = Math.sqrt(this.rtts.reduce((a, b) => a + (b - mean) ** 2, 0) / this.rtts.length);
      this.onRttReport?.(mean, jitter, this.rtts.length);
      this.rtts = [];
      this.rttReportedAt = now;
    }
    clearTimeout(this.watchdog);
    this.watchdog = this.armWatchdog();
    // Renewing at most every TTL/5 keeps expiry within TTL of the last beat at a fifth of the cost.
    if (now - this.lastRenewAtMs >= this.timings.leaseTtlMs / 5) void this.renew(now);
    this.send({ heartbeatAck: { sequence: beat.sequence, echoSentUnixMs: beat.sentUnixMs } });
    this.ping(now);
  }

  /** ping asks the agent for an immediate Pong, timed on this scheduler's clock. */
  private ping(now: number): void {
    // Unpredictable, so a pong cannot be sent before its ping arrives.
    const nonce = randomBytes(6).readUIntBE(0, 6);
    this.pingSentAt.set(nonce, now);
    // Unanswered pings are forgotten after a few beats; an agent that never answers has no RTT, so it cannot be challenged on time.
    if (this.pingSentAt.size > 8) this.pingSentAt.delete(this.pingSentAt.keys().next().value!);
    this.send({ ping: { nonce } });
  }

  /** onPong records a round trip measured by this scheduler. */
  onPong(nonce: number): void {
    const sentAt = this.pingSentAt.get(nonce);
    if (sentAt === undefined) return;
    this.pingSentAt.delete(nonce);
    const rtt = Date.now() - sentAt;
    this.rtts.push(rtt);
    this.recentRtts.push(rtt);
    if (this.recentRtts.length > RTT_WINDOW) this.recentRtts.shift();
  }

  /**
   * rttP99Ms is the 99th percentile of the last RTT_WINDOW measured round trips (undefined before
   * RTT_MIN_SAMPLES: the default is used). It sizes challenge limits, and inflating it does not
   * loosen a challenge's proof: the work grows with it (sizing.ts).
   */
  rttP99Ms(): number | undefined {
    if (this.recentRtts.length < RTT_MIN_SAMPLES) return undefined;
    const sorted = [...this.recentRtts].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
  }

  send(message: ConnectResponseWire): void {
    if (this.closed || this.call.writableEnded || this.call.destroyed) return;
    this.call.write(message);
  }

  /** close ends the session; `revoke` takes the worker offline now instead of at lease expiry. */
  async close(reason: string, options: { revoke: boolean; status?: { code: grpc.status; details: string } }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.watchdog);
    this.logger.info({ workerId: this.workerId, reason, revoke: options.revoke }, 'agent stream closed');
    if (options.status && !this.call.destroyed) this.call.emit('error', options.status);
    else if (!this.call.writableEnded && !this.call.destroyed) this.call.end();
    if (options.revoke) await this.lease.revoke();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async renew(now: number): Promise<void> {
    if (this.renewing || this.closed) return;
    this.renewing = true;
    try {
      if (await this.lease.keepAlive()) {
        this.lastRenewAtMs = now;
        return;
      }
      // The lease expired while the agent was still beating (scheduler stall, etcd failover):
      // put the worker back online on a fresh lease.
      this.logger.warn({ workerId: this.workerId }, 'lease was gone at renewal; granting a new one');
      this.lease = await this.store.goOnline(this.workerId, this.live, this.timings.leaseTtlMs);
      this.metrics.storeWrites.inc({ kind: 'live' });
      this.lastRenewAtMs = Date.now();
    } catch (err) {
      this.logger.warn({ err, workerId: this.workerId }, 'lease renewal failed; retrying on the next heartbeat');
    } finally {
      this.renewing = false;
    }
  }

  private armWatchdog(): NodeJS.Timeout {
    // An agent silent for a whole TTL is offline in the store already; drop its stream too.
    const timer = setTimeout(() => {
      void this.close('no heartbeat for a lease TTL', {
        revoke: false,
        status: { code: 14 /* UNAVAILABLE */, details: `no heartbeat for ${this.timings.leaseTtlMs} ms` },
      });
    }, this.timings.leaseTtlMs);
    timer.unref();
    return timer;
  }
}
