/**
 * agent-sessions: the agents connected to this replica, and the one way to reach them — assign
 * and cancel shards, send challenges — plus what this replica saw of each link (its advertised
 * address, a stream that broke recently, its round trip). Built first: the controller and trust
 * talk to agents through it, and the server fills it as agents connect.
 */
import * as grpc from '@grpc/grpc-js';
import type { ShardRef } from '../common/attempt.js';
import type { ChallengeRequest, RevealRequest } from '../common/challenge.js';
import type { JobRecord, ShardRecord } from '../common/job.js';
import type { Logger } from '../common/logger.js';
import type { ConnectResponseWire } from '../gen/tessera/v1/ConnectResponse.js';
import { assignToWire, challengeRequestToWire, revealRequestToWire } from '../wire/agent.js';
import type { AgentSession } from './agent-session.js';
import type { SchedulerConfig } from './config.js';
import type { AgentLink } from './jobs/controller.js';

export class AgentSessions implements AgentLink {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly addresses = new Map<string, string>();
  /** Workers whose stream broke here (not a goodbye): still online by lease, but not worth new work. */
  private readonly dropped = new Map<string, number>();

  constructor(
    private readonly config: Pick<SchedulerConfig, 'leaseTtlMs' | 'maxAttemptOutputBytes'>,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(workerId: string): AgentSession | undefined {
    return this.sessions.get(workerId);
  }

  /** add makes `session` the worker's current one, with the address its agent advertised. */
  add(session: AgentSession, advertise: string): void {
    this.sessions.set(session.workerId, session);
    if (advertise) this.addresses.set(session.workerId, advertise);
    this.dropped.delete(session.workerId);
  }

  /** forget removes `session` if it is still the worker's current one. */
  forget(session: AgentSession): void {
    if (this.sessions.get(session.workerId) === session) this.sessions.delete(session.workerId);
  }

  /** isCurrent: `session` is the worker's live session here (a replaced one ending late is not). */
  isCurrent(session: AgentSession): boolean {
    return !session.isClosed && this.sessions.get(session.workerId) === session;
  }

  /** markDropped: the worker's stream broke (or it was cut off) — no new work while its lease runs. */
  markDropped(workerId: string): void {
    this.dropped.set(workerId, Date.now());
  }

  /** closeAll ends every stream (scheduler shutdown); leases are left to expire so a restart keeps workers online. */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map((s) => s.close('scheduler shutting down', { revoke: false, status: { code: grpc.status.UNAVAILABLE, details: 'scheduler shutting down; reconnect' } })),
    );
    this.sessions.clear();
  }

  /** revoked closes a revoked worker's stream on this replica at once (every replica hears the record change). */
  async revoked(workerId: string): Promise<void> {
    const session = this.sessions.get(workerId);
    if (!session || session.isClosed) return;
    this.logger.warn({ workerId }, 'worker revoked by an operator: closing its stream');
    await session.close('revoked', { revoke: true, status: { code: grpc.status.UNAUTHENTICATED, details: 'this worker was revoked by an operator' } });
    this.forget(session);
  }

  assign(workerId: string, job: JobRecord, shard: ShardRecord, env: Record<string, string>): boolean {
    return this.sendTo(workerId, { assignShard: assignToWire(job, shard, env, this.config.maxAttemptOutputBytes) });
  }

  cancel(workerId: string, ref: ShardRef, reason: string): boolean {
    return this.sendTo(workerId, { cancelShard: { shard: ref, reason } });
  }

  sendChallenge(workerId: string, challenge: ChallengeRequest): boolean {
    return this.sendTo(workerId, { computeChallenge: challengeRequestToWire(challenge) });
  }

  sendReveal(workerId: string, request: RevealRequest): boolean {
    return this.sendTo(workerId, { revealTiles: revealRequestToWire(request) });
  }

  /** connected says whether the worker has a live stream on this replica. */
  connected(workerId: string): boolean {
    const session = this.sessions.get(workerId);
    return session !== undefined && !session.isClosed;
  }

  /** rttP99Ms is the worker's round-trip p99 as this replica measured it (undefined: not connected here, or not measured yet). */
  rttP99Ms(workerId: string): number | undefined {
    return this.sessions.get(workerId)?.rttP99Ms();
  }

  advertiseAddress(workerId: string): string | undefined {
    return this.addresses.get(workerId);
  }

  /** suspect: this replica saw the worker's stream break less than a lease TTL ago and it has not come back. */
  suspect(workerId: string): boolean {
    const at = this.dropped.get(workerId);
    return at !== undefined && Date.now() - at < this.config.leaseTtlMs;
  }

  /** sendTo writes to a worker's stream on this replica; false when it is not connected here. */
  private sendTo(workerId: string, message: ConnectResponseWire): boolean {
    const session = this.sessions.get(workerId);
    if (!session || session.isClosed) return false;
    session.send(message);
    return true;
  }
}
