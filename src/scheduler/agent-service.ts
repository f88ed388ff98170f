/**
 * agent-service: AgentService on the scheduler. Join turns a join token into a worker identity;
 * Connect authenticates an agent, puts it online on a lease, and keeps it there while it beats.
 */
import * as grpc from '@grpc/grpc-js';
import type { AgentServiceHandlers } from '../gen/tessera/v1/AgentService.js';
import type { ConnectRequest } from '../gen/tessera/v1/ConnectRequest.js';
import type { ConnectResponseWire } from '../gen/tessera/v1/ConnectResponse.js';
import type { JoinRequest } from '../gen/tessera/v1/JoinRequest.js';
import type { JoinResponseWire } from '../gen/tessera/v1/JoinResponse.js';
import { FailedPrecondition, InvalidArgument, PermissionDenied, ResourceExhausted, TesseraError, Unauthenticated } from '../common/errors.js';
import { isMalformed, MALFORMED, toStatus, unaryHandler } from '../common/grpc.js';
import { sameHardware } from '../common/hardware.js';
import type { Logger } from '../common/logger.js';
import { newSecret, newWorkerId, secretMatches, sha256Hex, WORKER_ID_METADATA, WORKER_SECRET_PREFIX } from '../common/secrets.js';
import { WORKER_ID_PATTERN, type WorkerRecord, type WorkerReport } from '../common/worker.js';
import { issueClientCert, MAX_CSR_CHARS, verifyClientCert, type CertAndKey } from '../common/pki.js';
import type { RenewCertificateRequest } from '../gen/tessera/v1/RenewCertificateRequest.js';
import type { RenewCertificateResponseWire } from '../gen/tessera/v1/RenewCertificateResponse.js';
import type { TopologyStore } from '../store/topology-store.js';
import { AgentSession } from './agent-session.js';
import type { SchedulerConfig } from './config.js';
import type { SchedulerMetrics } from './metrics.js';
import type { AgentLink, JobController } from './jobs/controller.js';
import type { Flood } from './jobs/output-limits.js';
import type { JobRecord, ShardRecord } from '../common/job.js';
import type { TrustLink, TrustManager } from './trust/manager.js';
import type { ChallengeRequest, RevealRequest } from '../common/challenge.js';
import type { ShardRef } from '../common/attempt.js';
import { assignToWire, challengeRequestToWire, commitmentFromWire, refFromWire, reportFromHello, reportFromJoin, revealRequestToWire, shardReportFromWire, tileAnswerFromWire } from '../wire/agent.js';

type ConnectCall = grpc.ServerDuplexStream<ConnectRequest, ConnectResponseWire>;

/** AgentServiceImpl holds the sessions of the agents connected to this replica. */
export class AgentServiceImpl implements AgentLink, TrustLink {
  readonly sessions = new Map<string, AgentSession>();
  /** controller runs jobs; set once the scheduler has started it. */
  controller: JobController | undefined;
  /** trust challenges workers and keeps their records; set once the scheduler has started it. */
  trust: TrustManager | undefined;
  private readonly addresses = new Map<string, string>();
  /** Workers whose stream broke here (not a goodbye): still online by lease, but not worth new work. */
  private readonly dropped = new Map<string, number>();

  constructor(
    private readonly config: SchedulerConfig,
    private readonly store: TopologyStore,
    private readonly metrics: SchedulerMetrics,
    private readonly logger: Logger,
    /** Over TLS: the CA that signs workers' client certificates (and checks them on Connect). */
    private readonly ca?: CertAndKey,
  ) {}

  handlers(): AgentServiceHandlers {
    return {
      Join: unaryHandler(this.logger, (request: JoinRequest) => this.join(request)),
      RenewCertificate: unaryHandler(this.logger, (request: RenewCertificateRequest, call) => this.renewCertificate(request, call)),
      Connect: (call) => {
        this.connect(call).catch((err: unknown) => this.reject(call, err));
      },
    };
  }

  /** closeAll ends every stream (scheduler shutdown); leases are left to expire so a restart keeps workers online. */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map((s) =>
        s.close('scheduler shutting down', { revoke: false, status: { code: grpc.status.UNAVAILABLE, details: 'scheduler shutting down; reconnect' } }),
      ),
    );
    this.sessions.clear();
  }

  /** revoked closes a revoked worker's stream on this replica at once (every replica hears the record change). */
  async revoked(workerId: string): Promise<void> {
    const session = this.sessions.get(workerId);
    if (!session || session.isClosed) return;
    this.logger.warn({ workerId }, 'worker revoked by an operator: closing its stream');
    await session.close('revoked', { revoke: true, status: { code: grpc.status.UNAUTHENTICATED, details: 'this worker was revoked by an operator' } });
    if (this.sessions.get(workerId) === session) this.sessions.delete(workerId);
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

  /** sendTo writes to a worker's stream on this replica; false when it is not connected here. */
  private sendTo(workerId: string, message: ConnectResponseWire): boolean {
    const session = this.sessions.get(workerId);
    if (!session || session.isClosed) return false;
    session.send(message);
    return true;
  }

  busy(workerId: string): boolean {
    return this.controller?.busy(workerId) ?? false;
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

  private async join(request: JoinRequest): Promise<JoinResponseWire> {
    let parsed: ReturnType<typeof reportFromJoin>;
    try {
      parsed = reportFromJoin(request);
    } catch (err) {
      this.metrics.joins.inc({ outcome: 'invalid_argument' });
      throw err;
    }
    const secret = newSecret(WORKER_SECRET_PREFIX);
    const now = Date.now();
    const record: WorkerRecord = { ...parsed.report, id: newWorkerId(), joinedAtMs: now };
    // The certificate is issued before the token is spent, so a bad request costs no use of it.
    const clientCertPem = this.ca ? await this.issueCertificate(request.csrPem, record.id, 'csr_pem') : '';
    const outcome = await this.store.join(sha256Hex(parsed.token), record, sha256Hex(secret), now);
    if (outcome !== 'joined') {
      this.metrics.joins.inc({ outcome: 'invalid_token' });
      this.logger.warn({ name: record.name }, 'join refused: token invalid, expired or used up');
      throw new Unauthenticated('join token is invalid, expired or used up; ask the operator for a new one (`tessera join-token create`)');
    }
    this.metrics.joins.inc({ outcome: 'joined' });
    this.metrics.storeWrites.inc({ kind: 'join' });
    this.logger.info({ workerId: record.id, name: record.name, region: record.region, gpus: record.hardware.gpus.length }, 'worker joined');
    return { workerId: record.id, workerSecret: secret, clientCertPem };
  }

  /** issueCertificate signs a worker's certificate request; a bad one is the caller's INVALID_ARGUMENT. */
  private async issueCertificate(csrPem: string, workerId: string, field: string): Promise<string> {
    if (!csrPem) throw new InvalidArgument(field, 'expected a certificate request (PEM): this scheduler serves TLS and issues each worker a client certificate');
    if (csrPem.length > MAX_CSR_CHARS) throw new InvalidArgument(field, `expected at most ${MAX_CSR_CHARS} characters`);
    try {
      return await issueClientCert(this.ca!, csrPem, workerId, this.config.clientCertTtlMs / 86_400_000);
    } catch (err) {
      throw new InvalidArgument(field, (err as Error).message);
    }
  }

  private async renewCertificate(request: RenewCertificateRequest, call: grpc.ServerUnaryCall<RenewCertificateRequest, RenewCertificateResponseWire>): Promise<RenewCertificateResponseWire> {
    if (!this.ca) throw new FailedPrecondition('this scheduler serves plaintext (--insecure): there are no client certificates to renew');
    const workerId = await this.authenticate(call);
    const clientCertPem = await this.issueCertificate(request.csrPem, workerId, 'csr_pem');
    this.logger.info({ workerId }, 'client certificate renewed');
    return { clientCertPem };
  }

  /**
   * authenticate checks a worker's credentials: its secret, and over TLS the client certificate
   * this fleet's CA issued to that very worker id (a stolen secret alone does not connect).
   */
  private async authenticate(call: Pick<ConnectCall, 'metadata' | 'getAuthContext'>): Promise<string> {
    const workerId = String(call.metadata.get(WORKER_ID_METADATA)[0] ?? '');
    const auth = String(call.metadata.get('authorization')[0] ?? '');
    const secret = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (!workerId || !secret) throw new Unauthenticated(`Connect needs "${WORKER_ID_METADATA}" and "authorization: Bearer <worker secret>" metadata`);
    // Checked before any read: a malformed id names the metadata field, as every other malformed id does.
    if (!WORKER_ID_PATTERN.test(workerId)) throw new InvalidArgument(WORKER_ID_METADATA, 'expected a worker id such as w-0123456789abcdef (the one Join returned)');
    if (this.ca) {
      const peer = call.getAuthContext().sslPeerCertificate;
      if (!peer?.raw) throw new Unauthenticated('this scheduler needs the client certificate Join issued to the worker (the agent keeps it in its state directory)');
      let subject: string;
      try {
        subject = verifyClientCert(peer.raw, this.ca.certPem).subjectCn;
      } catch (err) {
        throw new Unauthenticated((err as Error).message);
      }
      if (subject !== workerId) throw new Unauthenticated(`the client certificate is for ${subject.slice(0, 64)}, not ${workerId}`);
    }
    const stored = await this.store.getCredentialHash(workerId);
    if (!stored || !secretMatches(secret, stored)) throw new Unauthenticated('unknown worker or wrong worker secret');
    return workerId;
  }

  private async connect(call: ConnectCall): Promise<void> {
    const authenticatedId = await this.authenticate(call);
    const first = await this.firstMessage(call);
    if (first.msg !== 'hello' || !first.hello) throw new InvalidArgument('msg', 'expected the first message on Connect to be hello');
    if (first.hello.workerId !== authenticatedId) {
      throw new PermissionDenied(`credentials are for worker ${authenticatedId}, but hello claims ${first.hello.workerId}`);
    }
    const existing = await this.store.getWorker(authenticatedId);
    if (!existing) throw new Unauthenticated(`worker ${authenticatedId} is not registered`);
    if (existing.revokedAtMs !== undefined) throw new Unauthenticated(`worker ${authenticatedId} was revoked by an operator`);
    const { report } = reportFromHello(first.hello, existing.name);
    const active = first.hello.activeShards.map((r, i) => refFromWire(r, `hello.active_shards[${i}]`));
    const advertise = first.hello.advertiseAddress;
    if (advertise.length > 255) throw new InvalidArgument('hello.advertise_address', 'expected at most 255 characters');
    await this.recordChanges(existing, report);

    const previous = this.sessions.get(authenticatedId);
    if (previous) {
      this.metrics.connects.inc({ outcome: 'replaced' });
      await previous.close('replaced by a newer connection', { revoke: false, status: { code: grpc.status.ABORTED, details: 'replaced by a newer connection of the same worker' } });
    }
    const live = { connectedAtMs: Date.now(), schedulerId: this.config.schedulerId };
    const lease = await this.store.goOnline(authenticatedId, live, this.config.leaseTtlMs);
    this.metrics.storeWrites.inc({ kind: 'live' });
    const session = new AgentSession(authenticatedId, call, lease, live, this.store, this.config, this.metrics, this.logger);
    session.onRttReport = (mean, jitter, samples) => this.trust?.onRtt(authenticatedId, mean, jitter, samples);
    this.sessions.set(authenticatedId, session);
    // A revocation that landed between the checks above and now found no session to close: look again.
    if ((await this.store.getWorker(authenticatedId))?.revokedAtMs !== undefined) {
      await this.revoked(authenticatedId);
      throw new Unauthenticated(`worker ${authenticatedId} was revoked by an operator`);
    }
    this.metrics.connects.inc({ outcome: 'accepted' });
    this.logger.info({ workerId: authenticatedId, name: existing.name, peer: call.getPeer() }, 'agent connected');
    session.send({
      welcome: {
        workerId: authenticatedId,
        heartbeatIntervalMs: this.config.heartbeatIntervalMs,
        leaseTtlMs: this.config.leaseTtlMs,
        schedulerId: this.config.schedulerId,
      },
    });
    if (advertise) this.addresses.set(authenticatedId, advertise);
    this.dropped.delete(authenticatedId);
    this.follow(call, session, existing.name);
    this.controller?.onConnected(authenticatedId, active);
    this.trust?.onConnected({ ...existing, ...report, id: authenticatedId });
  }

  private follow(call: ConnectCall, session: AgentSession, name: string): void {
    const forget = (): void => {
      if (this.sessions.get(session.workerId) === session) this.sessions.delete(session.workerId);
    };
    call.on('data', (message: ConnectRequest) => {
      if (session.isClosed) return;
      try {
        this.onMessage(session, message, name);
      } catch (err) {
        forget();
        const status = toStatus(err, this.logger);
        void session.close('bad message', { revoke: false, status: { code: status.code ?? grpc.status.INTERNAL, details: status.details ?? '' } });
      }
    });
    // grpc-js ends the readable side both on a half-close and on a dropped connection, so an
    // end alone is not a goodbye: the lease keeps the worker online until TTL.
    const lost = (reason: string): void => {
      // Only the worker's current session speaks for it: a replaced one ending late must not cut the new one's challenge.
      if (!session.isClosed && this.sessions.get(session.workerId) === session) {
        this.dropped.set(session.workerId, Date.now());
        this.trust?.onDisconnected(session.workerId, reason);
      }
      forget();
      void session.close(reason, { revoke: false });
    };
    call.on('end', () => lost('stream ended'));
    call.on('cancelled', () => lost('connection lost'));
    call.on('error', (err) => lost(`stream error: ${err.message}`));
    call.resume();
  }

  private onMessage(session: AgentSession, message: ConnectRequest, name: string): void {
    if (isMalformed(message)) throw new InvalidArgument('(message)', `not a valid ConnectRequest (${(message as unknown as Record<symbol, string>)[MALFORMED]})`);
    switch (message.msg) {
      case 'heartbeat':
        session.onHeartbeat(message.heartbeat!);
        return;
      case 'shardUpdate': {
        const update = shardReportFromWire(message.shardUpdate!);
        const controller = this.controller;
        if (!controller) return;
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
        this.trust?.onCommit(session.workerId, commitmentFromWire(message.challengeCommit!));
        return;
      case 'challengeTile':
        this.trust?.onTile(session.workerId, tileAnswerFromWire(message.challengeTile!));
        return;
      case 'pong':
        session.onPong(Number(message.pong!.nonce));
        return;
      case 'goodbye':
        this.trust?.onDisconnected(session.workerId, 'goodbye');
        this.sessions.delete(session.workerId);
        void session.close(`agent said goodbye: ${message.goodbye!.reason.slice(0, 200)}`, { revoke: true });
        return;
      case 'hello': {
        // A later Hello re-reports hardware (after a driver update or a GPU swap).
        if (message.hello!.workerId !== session.workerId) throw new PermissionDenied('hello claims another worker');
        const { report } = reportFromHello(message.hello!, name);
        void this.store
          .getWorker(session.workerId)
          .then((existing) => existing && this.recordChanges(existing, report))
          .catch((err: unknown) => this.logger.warn({ err }, 'recording a hardware update failed'));
        return;
      }
      case undefined:
        throw new InvalidArgument('msg', 'expected hello, heartbeat, shard_update, challenge_commit, challenge_tile, pong or goodbye');
    }
  }

  /**
   * cutOffFlooder answers an agent that ignored the output cap it was told: its worker is flagged
   * (output-flood) and left out of new placements while its lease runs, and the stream ends with
   * RESOURCE_EXHAUSTED (thrown to follow(), which closes it). The controller already ended the attempt as lost.
   */
  private cutOffFlooder(session: AgentSession, flood: Flood): never {
    this.metrics.outputFloods.inc();
    this.dropped.set(session.workerId, Date.now());
    this.trust?.onOutputFlood(session.workerId, flood.flag);
    this.logger.warn({ workerId: session.workerId, detail: flood.message }, 'agent cut off: it sent output past the cap it was told');
    throw new ResourceExhausted(`output past the cap: this agent ${flood.message}; the worker is flagged output-flood`);
  }

  /** recordChanges writes the worker's registration only when the agent reports something new. */
  private async recordChanges(existing: WorkerRecord, report: WorkerReport): Promise<void> {
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
    await this.store.updateWorker(updated);
    this.metrics.storeWrites.inc({ kind: 'worker' });
    if (!sameHardware(existing.hardware, report.hardware)) this.trust?.onHardwareChanged(updated);
    this.logger.info({ workerId: id, hardwareChanged: !sameHardware(existing.hardware, report.hardware) }, 'worker report changed');
  }

  private firstMessage(call: ConnectCall): Promise<ConnectRequest> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new InvalidArgument('hello', `expected a hello within ${this.config.helloTimeoutMs} ms of opening Connect`));
      }, this.config.helloTimeoutMs);
      const onData = (message: ConnectRequest): void => {
        cleanup();
        // Hold later messages until follow() listens; a flowing stream would drop them.
        call.pause();
        if (isMalformed(message)) reject(new InvalidArgument('(message)', 'not a valid ConnectRequest'));
        else resolve(message);
      };
      const onGone = (): void => {
        cleanup();
        reject(new InvalidArgument('hello', 'stream ended before hello'));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        call.off('data', onData);
        call.off('end', onGone);
        call.off('cancelled', onGone);
      };
      call.on('data', onData);
      call.once('end', onGone);
      call.once('cancelled', onGone);
    });
  }

  private reject(call: ConnectCall, err: unknown): void {
    const status = toStatus(err, this.logger);
    const outcome = err instanceof TesseraError ? err.kind.replace('-', '_') : 'internal';
    this.metrics.connects.inc({ outcome });
    this.logger.warn({ peer: call.getPeer(), code: status.code, details: status.details }, 'agent stream refused');
    if (!call.destroyed) call.emit('error', status);
  }
}
