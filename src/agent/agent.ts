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
import { hardwareToWire } from '../common/wire.js';
import type { AgentConfig } from './config.js';
import { discoverHardware } from './discovery/index.js';
import { identityPath, loadIdentity, saveIdentity, type WorkerIdentity } from './identity.js';
import { AGENT_VERSION } from './version.js';
import { ShardRunner } from './runner.js';
import { ChallengeResponder } from './challenge/responder.js';
import type { ComputeChallenge } from '../gen/tessera/v1/ComputeChallenge.js';
import type { RevealTiles } from '../gen/tessera/v1/RevealTiles.js';
import type { ChallengeCommitWire } from '../gen/tessera/v1/ChallengeCommit.js';
import type { ChallengeTileWire } from '../gen/tessera/v1/ChallengeTile.js';
import type { ShardUpdateWire } from '../gen/tessera/v1/ShardUpdate.js';
import { basename } from 'node:path';
import { defaultShardMemoryMib, SANDBOX_UIDS } from './config.js';
import { detectSandbox, type SandboxSupport } from './sandbox/sandbox.js';

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
  private readonly client: AgentServiceClient;
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
    const { proto } = loadTesseraProto();
    this.client = new proto.AgentService(config.scheduler, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
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
        const reason = await this.connectOnce(this.identity);
        if (this.abort.signal.aborted) break;
        const delay = this.backoff.nextDelayMs();
        this.metrics.reconnects.inc();
        this.logger.warn({ reason, retryInMs: delay, attempt: this.backoff.attempts }, `disconnected from scheduler ${this.config.scheduler}: ${reason}; reconnecting`);
        await sleep(delay, this.abort.signal);
      }
    } finally {
      this.state = 'stopped';
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
  protected answerChallenge(challenge: ComputeChallenge): Promise<ChallengeCommitWire> {
    return this.responder.commit(challenge, this.hardware?.gpus ?? []);
  }

  /** revealTiles reveals the tiles the scheduler picked, one message each. */
  protected revealTiles(request: RevealTiles): AsyncIterable<ChallengeTileWire> {
    return this.responder.reveal(request);
  }

  /** isolation is the claim this agent makes about how it runs shards. */
  private isolation(): { sandboxed: boolean; detail: string } {
    const sandbox = this.sandbox;
    if (!sandbox) return { sandboxed: false, detail: 'not yet checked' };
    return sandbox.sandboxed ? { sandboxed: true, detail: sandbox.detail } : { sandboxed: false, detail: `--insecure-no-sandbox: ${sandbox.detail}` };
  }

  /** sendUpdate reports on a shard when connected; finished reports wait in the runner's outbox otherwise. */
  private sendUpdate(update: ShardUpdateWire): void {
    const call = this.currentCall;
    if (call && this.state === 'connected' && !call.writableEnded) call.write({ shardUpdate: update });
  }

  private async ensureIdentity(): Promise<WorkerIdentity> {
    const stored = await loadIdentity(this.config.stateDir);
    if (stored) {
      this.logger.info({ workerId: stored.workerId }, 'using stored worker identity');
      return stored;
    }
    if (!this.config.joinToken) {
      throw new AgentFatalError(`no worker identity in ${this.config.stateDir} and no join token: pass --join-token (from \`tessera join-token create\`)`);
    }
    this.state = 'joining';
    for (;;) {
      try {
        const response = await this.join(this.config.joinToken);
        const identity = { workerId: response.workerId, workerSecret: response.workerSecret, scheduler: this.config.scheduler, joinedAt: new Date().toISOString() };
        await saveIdentity(this.config.stateDir, identity);
        this.logger.info({ workerId: identity.workerId, stateDir: this.config.stateDir }, 'joined the fleet');
        return identity;
      } catch (err) {
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

  private join(token: string): Promise<{ workerId: string; workerSecret: string }> {
    return new Promise((resolve, reject) => {
      this.client.Join(
        { joinToken: token, name: this.config.name, region: this.config.region, labels: this.config.labels, hardware: hardwareToWire(this.hardware!), agentVersion: AGENT_VERSION, isolation: this.isolation() },
        { deadline: Date.now() + 10_000 },
        (err, response) => (err ? reject(err) : resolve(response!)),
      );
    });
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
          for (const report of this.runner.unacknowledged()) call.write({ shardUpdate: report });
          beatTimer = setInterval(() => {
            if (Date.now() - lastAckAt > ACK_TIMEOUT_BEATS * interval) {
              abortReason = `no heartbeat answer for ${Date.now() - lastAckAt} ms`;
              call.cancel();
              return;
            }
            call.write({ heartbeat: { sequence: ++sequence, sentUnixMs: Date.now(), lastRttUs } });
          }, interval);
        } else if (message.msg === 'assignShard' && message.assignShard) {
          this.logger.info({ jobId: message.assignShard.shard?.jobId, index: message.assignShard.shard?.index, attempt: message.assignShard.shard?.attempt }, 'shard assigned');
          this.runner.assign(message.assignShard);
        } else if (message.msg === 'cancelShard' && message.cancelShard?.shard) {
          this.runner.cancel(message.cancelShard.shard, message.cancelShard.reason);
        } else if (message.msg === 'computeChallenge' && message.computeChallenge) {
          const challenge = message.computeChallenge;
          this.logger.info({ challengeId: challenge.challengeId, gpuIndex: challenge.gpuIndex, rows: challenge.rowTiles * challenge.tileRows, cols: challenge.colTiles * challenge.tileCols, inner: challenge.inner, deadlineMs: challenge.deadlineMs }, 'compute challenge received');
          void this.answerChallenge(challenge).then(
            (commit) => {
              if (commit.error) this.logger.warn({ challengeId: challenge.challengeId, error: commit.error, kind: commit.errorKind }, 'compute challenge not answered');
              call.write({ challengeCommit: commit });
            },
            (err: unknown) => this.logger.error({ err }, 'challenge failed'),
          );
        } else if (message.msg === 'revealTiles' && message.revealTiles) {
          const request = message.revealTiles;
          void (async () => {
            for await (const tile of this.revealTiles(request)) call.write({ challengeTile: tile });
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
