/**
 * agent-service: the AgentService gRPC server on the scheduler. Join turns a join token into a
 * worker identity; Connect authenticates an agent, puts it online on a lease, keeps it there
 * while it beats, and hands its messages to the inbox. The sessions it opens live in
 * AgentSessions, through which the controller and trust reach agents.
 */
import * as grpc from '@grpc/grpc-js';
import type { AgentServiceHandlers } from '../gen/tessera/v1/AgentService.js';
import type { ConnectRequest } from '../gen/tessera/v1/ConnectRequest.js';
import type { ConnectResponseWire } from '../gen/tessera/v1/ConnectResponse.js';
import type { JoinRequest } from '../gen/tessera/v1/JoinRequest.js';
import type { JoinResponseWire } from '../gen/tessera/v1/JoinResponse.js';
import { FailedPrecondition, InvalidArgument, PermissionDenied, TesseraError, Unauthenticated } from '../common/errors.js';
import { isMalformed, toStatus, unaryHandler } from '../common/grpc.js';
import type { Logger } from '../common/logger.js';
import { newSecret, newWorkerId, secretMatches, sha256Hex, WORKER_ID_METADATA, WORKER_SECRET_PREFIX } from '../common/secrets.js';
import { WORKER_ID_PATTERN, type WorkerRecord } from '../common/worker.js';
import { issueClientCert, MAX_CSR_CHARS, verifyClientCert, type CertAndKey } from '../common/pki.js';
import type { RenewCertificateRequest } from '../gen/tessera/v1/RenewCertificateRequest.js';
import type { RenewCertificateResponseWire } from '../gen/tessera/v1/RenewCertificateResponse.js';
import type { TopologyStore } from '../store/topology-store.js';
import { AgentSession } from './agent-session.js';
import type { AgentInbox } from './agent-inbox.js';
import type { AgentSessions } from './agent-sessions.js';
import type { SchedulerConfig } from './config.js';
import type { SchedulerMetrics } from './metrics.js';
import type { JobController } from './jobs/controller.js';
import type { TrustManager } from './trust/manager.js';
import { refFromWire, reportFromHello, reportFromJoin } from '../wire/agent.js';

/** AgentServiceParts: everything the server works with, built before it. */
export interface AgentServiceParts {
  config: SchedulerConfig;
  store: TopologyStore;
  sessions: AgentSessions;
  inbox: AgentInbox;
  controller: JobController;
  trust: TrustManager;
  metrics: SchedulerMetrics;
  logger: Logger;
  /** Over TLS: the CA that signs workers' client certificates (and checks them on Connect). */
  ca?: CertAndKey;
}

type ConnectCall = grpc.ServerDuplexStream<ConnectRequest, ConnectResponseWire>;

/** AgentService serves agents: Join, RenewCertificate and the Connect stream. */
export class AgentService {
  private readonly config: SchedulerConfig;
  private readonly store: TopologyStore;
  private readonly sessions: AgentSessions;
  private readonly inbox: AgentInbox;
  private readonly controller: JobController;
  private readonly trust: TrustManager;
  private readonly metrics: SchedulerMetrics;
  private readonly logger: Logger;
  private readonly ca: CertAndKey | undefined;

  constructor(parts: AgentServiceParts) {
    ({ config: this.config, store: this.store, sessions: this.sessions, inbox: this.inbox, controller: this.controller, trust: this.trust, metrics: this.metrics, logger: this.logger, ca: this.ca } = parts);
  }

  handlers(): AgentServiceHandlers {
    return {
      Join: unaryHandler(this.logger, (request: JoinRequest) => this.join(request)),
      RenewCertificate: unaryHandler(this.logger, (request: RenewCertificateRequest, call) => this.renewCertificate(request, call)),
      Connect: (call) => {
        this.connect(call).catch((err: unknown) => this.reject(call, err));
      },
    };
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
    await this.inbox.recordChanges(existing, report);

    const previous = this.sessions.get(authenticatedId);
    if (previous) {
      this.metrics.connects.inc({ outcome: 'replaced' });
      await previous.close('replaced by a newer connection', { revoke: false, status: { code: grpc.status.ABORTED, details: 'replaced by a newer connection of the same worker' } });
    }
    const live = { connectedAtMs: Date.now(), schedulerId: this.config.schedulerId };
    const lease = await this.store.goOnline(authenticatedId, live, this.config.leaseTtlMs);
    this.metrics.storeWrites.inc({ kind: 'live' });
    const session = new AgentSession(authenticatedId, call, lease, live, this.store, this.config, this.metrics, this.logger);
    session.onRttReport = (mean, jitter, samples) => this.trust.onRtt(authenticatedId, mean, jitter, samples);
    this.sessions.add(session, advertise);
    // A revocation that landed between the checks above and now found no session to close: look again.
    if ((await this.store.getWorker(authenticatedId))?.revokedAtMs !== undefined) {
      await this.sessions.revoked(authenticatedId);
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
    this.follow(call, session, existing.name);
    this.controller.onConnected(authenticatedId, active);
    this.trust.onConnected({ ...existing, ...report, id: authenticatedId });
  }

  private follow(call: ConnectCall, session: AgentSession, name: string): void {
    const forget = (): void => this.sessions.forget(session);
    call.on('data', (message: ConnectRequest) => {
      if (session.isClosed) return;
      try {
        this.inbox.onMessage(session, message, name);
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
      if (this.sessions.isCurrent(session)) {
        this.sessions.markDropped(session.workerId);
        this.trust.onDisconnected(session.workerId, reason);
      }
      forget();
      void session.close(reason, { revoke: false });
    };
    call.on('end', () => lost('stream ended'));
    call.on('cancelled', () => lost('connection lost'));
    call.on('error', (err) => lost(`stream error: ${err.message}`));
    call.resume();
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
