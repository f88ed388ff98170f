/**
 * lease-keeper: grants, renews and revokes etcd leases over ONE shared LeaseKeepAlive stream
 * (etcd3's Lease class opens a stream per lease; a fleet of thousands of workers would open
 * thousands). Renewal answers arrive in request order per lease, so each lease keeps a FIFO of
 * waiters.
 */
import type { Etcd3, IDuplexStream, ILeaseKeepAliveRequest, ILeaseKeepAliveResponse } from 'etcd3';
import type { Logger } from '../common/logger.js';

/** KEEPALIVE_TIMEOUT_MS: a renewal unanswered this long counts as failed, and the stream is rebuilt. */
const KEEPALIVE_TIMEOUT_MS = 5_000;

type Waiter = (alive: boolean) => void;

/** LeaseKeeper owns the keep-alive stream of one etcd client. */
export class LeaseKeeper {
  private stream: Promise<IDuplexStream<ILeaseKeepAliveRequest, ILeaseKeepAliveResponse>> | undefined;
  private readonly waiters = new Map<string, Waiter[]>();
  private closed = false;

  constructor(
    private readonly client: Etcd3,
    private readonly logger?: Logger,
  ) {}

  /** grant creates a lease of `ttlMs`, rounded up to whole seconds as etcd counts them. */
  async grant(ttlMs: number): Promise<string> {
    const response = await this.client.leaseClient.leaseGrant({ TTL: Math.max(1, Math.ceil(ttlMs / 1000)), ID: 0 });
    return String(response.ID);
  }

  /** keepAlive renews a lease; false when etcd says it is gone (TTL ≤ 0) or no answer came. */
  async keepAlive(leaseId: string): Promise<boolean> {
    if (this.closed) return false;
    let stream: IDuplexStream<ILeaseKeepAliveRequest, ILeaseKeepAliveResponse>;
    try {
      stream = await this.openStream();
    } catch (err) {
      this.logger?.warn({ err }, 'cannot open the etcd lease keep-alive stream');
      return false;
    }
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), KEEPALIVE_TIMEOUT_MS);
      const settle: Waiter = (alive) => {
        clearTimeout(timer);
        resolve(alive);
      };
      const queue = this.waiters.get(leaseId) ?? [];
      queue.push(settle);
      this.waiters.set(leaseId, queue);
      stream.write({ ID: leaseId });
    });
  }

  /** revoke ends a lease now; its keys vanish at once. */
  async revoke(leaseId: string): Promise<void> {
    try {
      await this.client.leaseClient.leaseRevoke({ ID: leaseId });
    } catch (err) {
      // Already expired or etcd unreachable: either way the lease will not outlive its TTL.
      this.logger?.debug({ err, leaseId }, 'lease revoke failed');
    }
  }

  /** lastRenewalMs estimates when a lease was last renewed from its remaining TTL (etcd reports whole seconds). */
  async lastRenewalMs(leaseId: string | number): Promise<number | undefined> {
    if (String(leaseId) === '0') return undefined;
    try {
      const ttl = await this.client.leaseClient.leaseTimeToLive({ ID: leaseId, keys: false });
      const remaining = Number(ttl.TTL);
      if (remaining < 0) return undefined;
      return Date.now() - (Number(ttl.grantedTTL) - remaining) * 1000;
    } catch {
      return undefined;
    }
  }

  close(): void {
    this.closed = true;
    const stream = this.stream;
    this.stream = undefined;
    this.failAll();
    void stream?.then((s) => s.end()).catch(() => undefined);
  }

  private openStream(): Promise<IDuplexStream<ILeaseKeepAliveRequest, ILeaseKeepAliveResponse>> {
    if (this.stream) return this.stream;
    const opening = this.client.leaseClient.leaseKeepAlive().then((stream) => {
      stream.on('data', (response: ILeaseKeepAliveResponse) => {
        const queue = this.waiters.get(String(response.ID));
        const waiter = queue?.shift();
        if (queue?.length === 0) this.waiters.delete(String(response.ID));
        waiter?.(Number(response.TTL) > 0);
      });
      const drop = (err?: Error): void => {
        if (err) this.logger?.warn({ err }, 'etcd lease keep-alive stream ended; reopening on the next renewal');
        if (this.stream === opening) this.stream = undefined;
        this.failAll();
      };
      stream.on('error', drop);
      stream.on('end', () => drop());
      return stream;
    });
    opening.catch(() => {
      if (this.stream === opening) this.stream = undefined;
    });
    this.stream = opening;
    return opening;
  }

  private failAll(): void {
    for (const queue of this.waiters.values()) for (const waiter of queue) waiter(false);
    this.waiters.clear();
  }
}
