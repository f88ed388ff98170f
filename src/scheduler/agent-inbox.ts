/**
 * agent-inbox: what an agent says on its stream after Hello, routed to who acts on it — shard
 * reports to the controller, challenge answers to trust, heartbeats and pongs to the session, a
 * later Hello (new hardware) to the store. Everything is a claim: each message is checked at the
 * wire edge (src/wire/agent.ts) and a bad one ends the stream with INVALID_ARGUMENT.
 */
import { InvalidArgument, PermissionDenied, ResourceExhausted } from '../common/errors.js';
import { isMalformed, MALFORMED } from '../common/grpc.js';
import { sameHardware } from '../common/hardware.js';
import type { Logger } from '../common/logger.js';
import type { WorkerRecord, WorkerReport } from '../common/worker.js';
import type { ConnectRequest } from '../gen/tessera/v1/ConnectRequest.js';
import type { TopologyStore } from '../store/topology-store.js';
import { commitmentFromWire, reportFromHello, shardReportFromWire, tileAnswerFromWire } from '../wire/agent.js';
import type { AgentSession } from './agent-session.js';
import type { AgentSessions } from './agent-sessions.js';
import type { JobController } from './jobs/controller.js';
import type { Flood } from './jobs/output-limits.js';
import type { SchedulerMetrics } from './metrics.js';
import type { TrustManager } from './trust/manager.js';

export interface InboxParts {
  store: TopologyStore;
  sessions: AgentSessions;
  controller: JobController;
  trust: TrustManager;
  metrics: SchedulerMetrics;
  logger: Logger;
}

export class AgentInbox {
  constructor(private readonly parts: InboxParts) {}

  /** onMessage handles one message of a connected agent; throws (ending the stream) on a bad one. */
  onMessage(session: AgentSession, message: ConnectRequest, name: string): void {
    const { controller, trust, sessions } = this.parts;
    if (isMalformed(message)) throw new InvalidArgument('(message)', `not a valid ConnectRequest (${(message as unknown as Record<symbol, string>)[MALFORMED]})`);
    switch (message.msg) {
      case 'heartbeat':
        session.onHeartbeat(message.heartbeat!);
        return;
      case 'shardUpdate': {
        const update = shardReportFromWire(message.shardUpdate!);
        switch (update.kind) {
          case 'started':
            controller.onStarted(session.workerId, update.ref, Date.now(), update.startedAtMs);
            return;
          case 'output': {
            const { flood } = controller.onOutput(session.workerId, update.ref, update.stream, update.data, update.truncated);
            if (flood) this.cutOffFlooder(session, flood);
            return;
          }
          case 'finished':
            controller.onFinished(session.workerId, update.ref, update.end, () => session.send({ shardUpdateAck: { shard: update.ref } }));
            return;
          case 'rejected':
            controller.onFinished(session.workerId, update.ref, { exitCode: -1, error: `agent refused the assignment: ${update.reason}` }, () => session.send({ shardUpdateAck: { shard: update.ref } }));
            return;
        }
        return;
      }
      case 'challengeCommit':
        trust.onCommit(session.workerId, commitmentFromWire(message.challengeCommit!));
        return;
      case 'challengeTile':
        trust.onTile(session.workerId, tileAnswerFromWire(message.challengeTile!));
        return;
      case 'pong':
        session.onPong(Number(message.pong!.nonce));
        return;
      case 'goodbye':
        trust.onDisconnected(session.workerId, 'goodbye');
        sessions.forget(session);
        void session.close(`agent said goodbye: ${message.goodbye!.reason.slice(0, 200)}`, { revoke: true });
        return;
      case 'hello': {
        // A later Hello re-reports hardware (after a driver update or a GPU swap).
        if (message.hello!.workerId !== session.workerId) throw new PermissionDenied('hello claims another worker');
        const { report } = reportFromHello(message.hello!, name);
        void this.parts.store
          .getWorker(session.workerId)
          .then((existing) => existing && this.recordChanges(existing, report))
          .catch((err: unknown) => this.parts.logger.warn({ err }, 'recording a hardware update failed'));
        return;
      }
      case undefined:
        throw new InvalidArgument('msg', 'expected hello, heartbeat, shard_update, challenge_commit, challenge_tile, pong or goodbye');
    }
  }

  /** recordChanges writes the worker's registration only when the agent reports something new. */
  async recordChanges(existing: WorkerRecord, report: WorkerReport): Promise<void> {
    const changed =
      existing.region !== report.region ||
      existing.agentVersion !== report.agentVersion ||
      JSON.stringify(existing.labels) !== JSON.stringify(report.labels) ||
      JSON.stringify(existing.isolation) !== JSON.stringify(report.isolation) ||
      !sameHardware(existing.hardware, report.hardware);
    if (!changed) return;
    const { id, joinedAtMs, name, revokedAtMs } = existing;
    // A revocation is never undone by the worker's own report.
    const updated = { ...report, id, joinedAtMs, name, ...(revokedAtMs !== undefined && { revokedAtMs }) };
    await this.parts.store.updateWorker(updated);
    this.parts.metrics.storeWrites.inc({ kind: 'worker' });
    if (!sameHardware(existing.hardware, report.hardware)) this.parts.trust.onHardwareChanged(updated);
    this.parts.logger.info({ workerId: id, hardwareChanged: !sameHardware(existing.hardware, report.hardware) }, 'worker report changed');
  }

  /**
   * cutOffFlooder answers an agent that ignored the output cap it was told: its worker is flagged
   * (output-flood) and left out of new placements while its lease runs, and the stream ends with
   * RESOURCE_EXHAUSTED (thrown to the server, which closes it). The controller already ended the attempt as lost.
   */
  private cutOffFlooder(session: AgentSession, flood: Flood): never {
    this.parts.metrics.outputFloods.inc();
    this.parts.sessions.markDropped(session.workerId);
    this.parts.trust.onOutputFlood(session.workerId, flood.flag);
    this.parts.logger.warn({ workerId: session.workerId, detail: flood.message }, 'agent cut off: it sent output past the cap it was told');
    throw new ResourceExhausted(`output past the cap: this agent ${flood.message}; the worker is flagged output-flood`);
  }
}
