/**
 * agent: the worker-side process. It proves who it is (Join once, then its stored identity),
 * keeps one Connect stream to the scheduler, beats on it, and reconnects by itself with
 * exponential back-off and jitter whenever the scheduler or the network goes away.
 */
import * as grpc from '@grpc/grpc-js';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AgentServiceClient } from '../gen/tessera/v1/AgentService.js';
import type { ConnectRequestWire } from '../gen/tessera/v1/ConnectRequest.js';
import type { ConnectResponse } from '../gen/tessera/v1/ConnectResponse.js';
import { Backoff, sleep } from '../common/backoff.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../common/grpc.js';
import type { Hardware } from '../common/hardware.js';
import type { Logger } from '../common/logger.js';
import { createRegistry, startMetricsServer, type MetricsServer } from '../common/metrics-server.js';
import { WORKER_ID_METADATA } from '../common/secrets.js';
import type { AgentConfig } from './config.js';
import { discoverHardware } from './discovery/index.js';
import { identityPath, loadAgentTls, loadIdentity, saveAgentTls, saveIdentity, type AgentTls, type WorkerIdentity } from './identity.js';
import { certValidity, createCsr, PIN_PATTERN } from '../common/pki.js';
import { clientCredentials, discoverPinnedCa } from '../common/tls.js';
import { splitJoinToken } from '../store/join-tokens.js';
import { AGENT_VERSION } from './version.js';
import { ShardRunner } from './runner.js';
import { ChallengeResponder } from './challenge/responder.js';
import type { ShardReport } from '../common/attempt.js';
import type { ChallengeCommitment, ChallengeRequest, RevealRequest, TileAnswer } from '../common/challenge.js';
import { assignmentFromWire, challengeRequestFromWire, commitmentToWire, revealRequestFromWire, shardReportToWire, tileAnswerToWire } from '../wire/agent.js';
import { hardwareToWire } from '../wire/worker.js';
import { basename } from 'node:path';
import { defaultShardMemoryMib, SANDBOX_UIDS } from './config.js';
import { detectSandbox, type SandboxSupport } from './sandbox/sandbox.js';

/** RENEW_CHECK_MS: how often a connected agent checks its client certificate's age. */
const RENEW_CHECK_MS = 3_600_000;

/** ACK_TIMEOUT_BEATS: three unanswered beats mean the link is dead even if TCP has not noticed. */
const ACK_TIMEOUT_BEATS = 3;

/** AgentFatalError is thrown when retrying cannot help (a bad join token, no identity and no token). */
export class AgentFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentFatalError';
  }
}

/** ConnectionState is what the agent's log and /metrics say about the link. */
export type ConnectionState = 'joining' | 'connecting' | 'connected' | 'disconnected' | 'stopped';

/** Agent runs until `stop()` or a fatal error. */
export class Agent {
  state: ConnectionState = 'connecting';
  identity: WorkerIdentity | undefined;
  private client: AgentServiceClient;
  /** Over TLS: the pinned CA, this worker's key and its client certificate. */
  private tls: AgentTls | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private currentCall: grpc.ClientDuplexStream<ConnectRequestWire, ConnectResponse> | undefined;
  private readonly registry = createRegistry('agent');
  private metricsServer: MetricsServer | undefined;
  private readonly metrics = {
    connected: new Gauge({ name: 'tessera_agent_connected', help: '1 while the Connect stream is up.', registers: [this.registry] }),
    reconnects: new Counter({ name: 'tessera_agent_reconnects_total', help: 'Connect attempts after the first.', registers: [this.registry] }),
    rtt: new Histogram({
      name: 'tessera_agent_heartbeat_rtt_seconds',
      help: 'Heartbeat round-trip time to the scheduler.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    }),
    gpus: new Gauge({ name: 'tessera_agent_gpus', help: 'GPUs this agent discovered.', registers: [this.registry] }),
  };

  /** Built in run(), once the agent knows whether it can sandbox shards. */
  runner!: ShardRunner;
  private sandbox: SandboxSupport | undefined;
  protected readonly responder: ChallengeResponder;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private hardware?: Hardware,
  ) {
    this.responder = new ChallengeResponder(logger, config.python);
    this.client = this.dial(undefined);
    this.backoff = new Backoff({ initialMs: config.backoffInitialMs, maxMs: config.backoffMaxMs });
  }

  /** run joins if needed and keeps the agent connected until stop(). */
  async run(): Promise<void> {
    this.metricsServer = await startMetricsServer(this.registry, this.config.metricsListen, this.logger);
    this.hardware ??= await discoverHardware({ nvidiaSmi: this.config.nvidiaSmi, logger: this.logger });
    this.metrics.gpus.set(this.hardware.gpus.length);
    this.responder.prepare(this.hardware.gpus);
    this.sandbox = await detectSandbox({ agentName: basename(this.config.shardRoot), bwrap: this.config.bwrap, uidBase: this.config.sandboxUidBase, shardRoot: this.config.shardRoot });
    if (this.sandbox.sandboxed) this.logger.info({ shardRoot: this.config.shardRoot, isolation: this.sandbox.detail }, 'shards run sandboxed');
    else if (this.config.insecureNoSandbox) this.logger.warn({ shardRoot: this.config.shardRoot, reason: this.sandbox.detail }, `shards run WITHOUT a sandbox (--insecure-no-sandbox): ${this.sandbox.detail}; only jobs that allow unsandboxed workers are placed here`);
    else {
      await this.metricsServer.close();
      this.responder.close();
      throw new AgentFatalError(`cannot sandbox tenants' shards: ${this.sandbox.detail}. Run the agent as root with bubblewrap installed, or pass --insecure-no-sandbox to run shards unsandboxed (only jobs that allow it are placed here)`);
    }
    this.runner = new ShardRunner(
      {
        shardRoot: this.config.shardRoot,
        maxOutputBytes: this.config.maxShardOutputBytes,
        killGraceMs: this.config.killGraceMs,
        sandbox: this.sandbox,
        insecure: this.config.insecureNoSandbox,
        uidBase: this.config.sandboxUidBase,
        uidCount: SANDBOX_UIDS,
        maxPids: this.config.shardMaxPids,
        defaultMemoryMib: defaultShardMemoryMib(),
        hidden: [this.config.stateDir],
      },
      (update) => this.sendUpdate(update),
      this.logger,
    );
    this.logger.info(
      { gpus: this.hardware.gpus.map((g) => g.name), cpu: this.hardware.cpu.model, source: this.hardware.discoverySource, metricsUrl: this.metricsServer.url },
      'hardware discovered',
    );
    try {
      while (!this.abort.signal.aborted) {
        this.identity ??= await this.ensureIdentity();
        if (this.abort.signal.aborted) break;
        await this.renewIfDue();
        const reason = await this.connectOnce(this.identity);
        if (this.abort.signal.aborted) break;
        const delay = this.backoff.nextDelayMs();
        this.metrics.reconnects.inc();
        this.logger.warn({ reason, retryInMs: delay, attempt: this.backoff.attempts }, `disconnected from scheduler ${this.config.scheduler}: ${reason}; reconnecting`);
        await sleep(delay, this.abort.signal);
      }
    } finally {
      this.state = 'stopped';
      clearInterval(this.renewTimer);
      await this.metricsServer.close();
      this.responder.close();
      this.client.close();
    }
  }

  /** stop ends running shards, says goodbye (the worker goes offline at once) and ends run(). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.runner.stopAll();
    const call = this.currentCall;
    if (call) {
      const closed = new Promise<void>((resolve) => call.once('status', () => resolve()));
      call.write({ goodbye: { reason: 'agent stopping' } });
      call.end();
      // Wait for the scheduler to close the stream, but not forever: it may be gone already.
      const gaveUp = new AbortController();
      await Promise.race([closed, sleep(2_000, gaveUp.signal)]);
      gaveUp.abort();
    }
  }

  /** answerChallenge computes and commits to a challenge's product (the adversary suite overrides it). */
  protected answerChallenge(challenge: ChallengeRequest): Promise<ChallengeCommitment> {
    return this.responder.commit(challenge, this.hardware?.gpus ?? []);
  }

  /** revealTiles reveals the tiles the scheduler picked, one message each. */
  protected revealTiles(request: RevealRequest): AsyncIterable<TileAnswer> {
    return this.responder.reveal(request);
  }

  /** isolation is the claim this agent makes about how it runs shards. */
  private isolation(): { sandboxed: boolean; detail: string } {
    const sandbox = this.sandbox;
    if (!sandbox) return { sandboxed: false, detail: 'not yet checked' };
    return sandbox.sandboxed ? { sandboxed: true, detail: sandbox.detail } : { sandboxed: false, detail: `--insecure-no-sandbox: ${sandbox.detail}` };
  }

  /** sendUpdate reports on a shard when connected; finished reports wait in the runner's outbox otherwise. */
  private sendUpdate(report: ShardReport): void {
    const call = this.currentCall;
    if (call && this.state === 'connected' && !call.writableEnded) call.write({ shardUpdate: shardReportToWire(report) });
  }

  /** dial makes the AgentService client: plaintext with --insecure, else TLS trusting the pinned CA (with the client certificate once there is one). */
  private dial(tls: Partial<AgentTls> | undefined): AgentServiceClient {
    const { proto } = loadTesseraProto();
    const credentials = this.config.insecure || !tls?.caPem ? grpc.credentials.createInsecure() : clientCredentials(tls.caPem, tls.keyPem && tls.certPem ? { keyPem: tls.keyPem, certPem: tls.certPem } : undefined);
    return new proto.AgentService(this.config.scheduler, credentials, CLIENT_OPTIONS);
  }

  private redial(tls: AgentTls): void {
    this.tls = tls;
    const old = this.client;
    this.client = this.dial(tls);
    // A stream on the old channel keeps going; the next connect uses the new one.
    if (!this.currentCall) old.close();
  }

  private async ensureIdentity(): Promise<WorkerIdentity> {
    const stored = await loadIdentity(this.config.stateDir);
    if (stored) {
      if (!this.config.insecure) {
        const tls = await loadAgentTls(this.config.stateDir);
        if (!tls.caPem || !tls.keyPem || !tls.certPem) {
          throw new AgentFatalError(
            `the identity in ${this.config.stateDir} has no client certificate (it joined a plaintext scheduler): start the agent with --insecure for that scheduler, or remove ${identityPath(this.config.stateDir)} and join again with a new token`,
          );
        }
        this.redial(tls as AgentTls);
      }
      this.logger.info({ workerId: stored.workerId, tls: !this.config.insecure }, 'using stored worker identity');
      return stored;
    }
    if (!this.config.joinToken) {
      throw new AgentFatalError(`no worker identity in ${this.config.stateDir} and no join token: pass --join-token (from \`tessera join-token create\`)`);
    }
    const { secret, caPin } = splitJoinToken(this.config.joinToken);
    if (!this.config.insecure && (!caPin || !PIN_PATTERN.test(caPin))) {
      throw new AgentFatalError(
        'the join token carries no CA pin (sha256:…) to check the scheduler with: create the token after the scheduler runs with --tls-dir, or start the agent with --insecure for a plaintext scheduler',
      );
    }
    this.state = 'joining';
    for (;;) {
      try {
        let tls: AgentTls | undefined;
        let csrPem = '';
        if (!this.config.insecure) {
          // Trust on first use, but only of the CA the operator's token names.
          const caPem = await discoverPinnedCa(this.config.scheduler, caPin!).catch((err: Error) => {
            throw /presented no CA|not issued by the pinned CA|no certificate/.test(err.message) ? new AgentFatalError(`refusing to join: ${err.message}`) : err;
          });
          const csr = await createCsr(this.config.name.slice(0, 64) || 'tessera-agent');
          csrPem = csr.csrPem;
          tls = { caPem, keyPem: csr.keyPem, certPem: '' };
          this.client.close();
          this.client = this.dial({ caPem });
        }
        const response = await this.join(secret, csrPem);
        const identity = { workerId: response.workerId, workerSecret: response.workerSecret, scheduler: this.config.scheduler, joinedAt: new Date().toISOString() };
        if (tls) {
          if (!response.clientCertPem) throw new AgentFatalError(`${this.config.scheduler} issued no client certificate`);
          tls.certPem = response.clientCertPem;
          await saveAgentTls(this.config.stateDir, tls);
          this.redial(tls);
        }
        await saveIdentity(this.config.stateDir, identity);
        this.logger.info({ workerId: identity.workerId, stateDir: this.config.stateDir, tls: tls !== undefined }, 'joined the fleet');
        return identity;
      } catch (err) {
        if (err instanceof AgentFatalError) throw err;
        const status = err as grpc.ServiceError;
        if (status.code === grpc.status.UNAUTHENTICATED || status.code === grpc.status.INVALID_ARGUMENT) {
          throw new AgentFatalError(`join refused by ${this.config.scheduler}: ${status.details}`);
        }
        const delay = this.backoff.nextDelayMs();
        this.logger.warn({ code: status.code, retryInMs: delay }, `cannot reach scheduler ${this.config.scheduler} to join: ${status.details ?? status.message}`);
        await sleep(delay, this.abort.signal);
        if (this.abort.signal.aborted) throw new AgentFatalError('stopped while joining');
      }
    }
  }

  private join(secret: string, csrPem: string): Promise<{ workerId: string; workerSecret: string; clientCertPem: string }> {
    return new Promise((resolve, reject) => {
      this.client.Join(
        { joinToken: secret, name: this.config.name, region: this.config.region, labels: this.config.labels, hardware: hardwareToWire(this.hardware!), agentVersion: AGENT_VERSION, isolation: this.isolation(), csrPem },
        { deadline: Date.now() + 10_000 },
        (err, response) => (err ? reject(err) : resolve(response!)),
      );
    });
  }

  /**
   * renewIfDue replaces the client certificate once two thirds of its life have passed (checked
   * before each connect and hourly); a failure is logged and retried, the old one still works.
   */
  private async renewIfDue(): Promise<void> {
    this.renewTimer ??= setInterval(() => void this.renewIfDue(), RENEW_CHECK_MS);
    const tls = this.tls;
    const identity = this.identity;
    if (!tls || !identity) return;
    const { notBeforeMs, notAfterMs } = certValidity(tls.certPem);
    if (Date.now() < notBeforeMs + ((notAfterMs - notBeforeMs) * 2) / 3) return;
    try {
      const csr = await createCsr(identity.workerId);
      const metadata = new grpc.Metadata();
      metadata.set(WORKER_ID_METADATA, identity.workerId);
      metadata.set('authorization', `Bearer ${identity.workerSecret}`);
      const response = await new Promise<{ clientCertPem: string }>((resolve, reject) =>
        this.client.RenewCertificate({ csrPem: csr.csrPem }, metadata, { deadline: Date.now() + 10_000 }, (err, r) => (err ? reject(err) : resolve(r!))),
      );
      const renewed = { caPem: tls.caPem, keyPem: csr.keyPem, certPem: response.clientCertPem };
      await saveAgentTls(this.config.stateDir, renewed);
      this.redial(renewed);
      this.logger.info({ workerId: identity.workerId, validUntil: new Date(certValidity(renewed.certPem).notAfterMs).toISOString() }, 'client certificate renewed');
    } catch (err) {
      this.logger.warn({ err: (err as grpc.ServiceError).details ?? (err as Error).message, expires: new Date(notAfterMs).toISOString() }, 'could not renew the client certificate yet; retrying');
    }
  }

  /** connectOnce runs one Connect stream to its end and says why it ended. */
  private connectOnce(identity: WorkerIdentity): Promise<string> {
    this.state = 'connecting';
    const metadata = new grpc.Metadata();
    metadata.set(WORKER_ID_METADATA, identity.workerId);
    metadata.set('authorization', `Bearer ${identity.workerSecret}`);
    const call = this.client.Connect(metadata);
    this.currentCall = call;
    let beatTimer: NodeJS.Timeout | undefined;
    let sequence = 0;
    let lastAckAt = Date.now();
    let lastRttUs = 0;
    let abortReason: string | undefined;
    const welcomeTimer = setTimeout(() => {
      abortReason = `not accepted within ${this.config.connectTimeoutMs} ms`;
      call.cancel();
    }, this.config.connectTimeoutMs);

    return new Promise<string>((resolve) => {
      let finished = false;
      const finish = (reason: string): void => {
        if (finished) return;
        finished = true;
        clearTimeout(welcomeTimer);
        clearInterval(beatTimer);
        if (this.state === 'connected') this.metrics.connected.set(0);
        this.state = this.abort.signal.aborted ? 'stopped' : 'disconnected';
        this.currentCall = undefined;
        resolve(reason);
      };
      call.on('data', (message: ConnectResponse) => {
        if (message.msg === 'welcome' && message.welcome) {
          const interval = message.welcome.heartbeatIntervalMs;
          clearTimeout(welcomeTimer);
          this.state = 'connected';
          this.metrics.connected.set(1);
          this.backoff.reset();
          lastAckAt = Date.now();
          this.logger.info({ workerId: identity.workerId, scheduler: this.config.scheduler, schedulerId: message.welcome.schedulerId, heartbeatIntervalMs: interval }, 'connected to scheduler');
          for (const report of this.runner.unacknowledged()) call.write({ shardUpdate: shardReportToWire(report) });
          beatTimer = setInterval(() => {
            if (Date.now() - lastAckAt > ACK_TIMEOUT_BEATS * interval) {
              abortReason = `no heartbeat answer for ${Date.now() - lastAckAt} ms`;
              call.cancel();
              return;
            }
            call.write({ heartbeat: { sequence: ++sequence, sentUnixMs: Date.now(), lastRttUs } });
          }, interval);
        } else if (message.msg === 'assignShard' && message.assignShard) {
          const assignment = assignmentFromWire(message.assignShard);
          if (!assignment) return;
          this.logger.info({ ...assignment.ref }, 'shard assigned');
          this.runner.assign(assignment);
        } else if (message.msg === 'cancelShard' && message.cancelShard?.shard) {
          this.runner.cancel(message.cancelShard.shard, message.cancelShard.reason);
        } else if (message.msg === 'computeChallenge' && message.computeChallenge) {
          const challenge = challengeRequestFromWire(message.computeChallenge);
          const s = challenge.shape;
          this.logger.info({ challengeId: challenge.challengeId, gpuIndex: challenge.gpuIndex, rows: s.rowTiles * s.tileRows, cols: s.colTiles * s.tileCols, inner: s.inner, deadlineMs: challenge.deadlineMs }, 'compute challenge received');
          void this.answerChallenge(challenge).then(
            (commit) => {
              if ('error' in commit) this.logger.warn({ challengeId: challenge.challengeId, error: commit.error, kind: commit.errorKind }, 'compute challenge not answered');
              call.write({ challengeCommit: commitmentToWire(commit) });
            },
            (err: unknown) => this.logger.error({ err }, 'challenge failed'),
          );
        } else if (message.msg === 'revealTiles' && message.revealTiles) {
          const request = revealRequestFromWire(message.revealTiles);
          void (async () => {
            for await (const tile of this.revealTiles(request)) call.write({ challengeTile: tileAnswerToWire(tile) });
          })().catch((err: unknown) => this.logger.error({ err }, 'reveal failed'));
        } else if (message.msg === 'ping' && message.ping) {
          // The scheduler times its own round trip: answer at once.
          call.write({ pong: { nonce: message.ping.nonce } });
        } else if (message.msg === 'shardUpdateAck' && message.shardUpdateAck?.shard) {
          this.runner.acknowledge(message.shardUpdateAck.shard);
        } else if (message.msg === 'heartbeatAck' && message.heartbeatAck) {
          lastAckAt = Date.now();
          const rttMs = Math.max(0, Date.now() - message.heartbeatAck.echoSentUnixMs);
          lastRttUs = Math.min(rttMs * 1000, 0xffffffff);
          this.metrics.rtt.observe(rttMs / 1000);
        }
      });
      call.on('error', (err: grpc.ServiceError) => {
        if (err.code === grpc.status.UNAUTHENTICATED) this.onIdentityRejected(err.details);
        finish(abortReason ?? `${grpc.status[err.code]}: ${err.details}`);
      });
      call.on('status', (status: grpc.StatusObject) => {
        if (status.code === grpc.status.OK) finish('scheduler closed the stream');
      });
      call.write({
        hello: {
          workerId: identity.workerId,
          hardware: hardwareToWire(this.hardware!),
          agentVersion: AGENT_VERSION,
          region: this.config.region,
          labels: this.config.labels,
          activeShards: this.runner.held(),
          advertiseAddress: this.config.advertiseAddress,
          isolation: this.isolation(),
        },
      });
    });
  }

  /**
   * onIdentityRejected keeps the identity: a scheduler that answers UNAUTHENTICATED may be
   * mis-configured, pointed at the wrong store, or an impostor, and deleting identities on its
   * word would wipe a fleet. The operator decides; the agent says what to do and keeps backing off.
   */
  private onIdentityRejected(details: string): void {
    this.logger.error(
      { details, workerId: this.identity?.workerId, identityFile: identityPath(this.config.stateDir) },
      `the scheduler at ${this.config.scheduler} rejected this worker's identity (${details}); the identity is kept and the agent keeps retrying. ` +
        `If this worker was revoked or the fleet's store was reset, stop the agent, remove ${identityPath(this.config.stateDir)} and start it with a new join token`,
    );
  }
}
