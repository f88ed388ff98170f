/**
 * tcp-proxy: a loopback TCP proxy the tests put between agents and the scheduler. It can go
 * silent ("blackhole": bytes are swallowed, sockets stay open, as when a link goes down without a
 * reset) and can delay every chunk (this kernel has no netem, so latency is injected here).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { splitHostPort } from '../../src/common/net.js';

export type ProxyMode = 'pass' | 'blackhole';

export class TcpProxy {
  mode: ProxyMode = 'pass';
  delayMs = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  /** start listens on a free loopback port and forwards to `target` ("host:port"). */
  static async start(target: string): Promise<TcpProxy> {
    const { host, port } = splitHostPort(target);
    const ready: { proxy?: TcpProxy } = {};
    const server = createServer((client) => ready.proxy!.pipe(client, connect(port, host)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ready.proxy = new TcpProxy(server, `127.0.0.1:${(server.address() as AddressInfo).port}`);
    return ready.proxy;
  }

  private pipe(client: Socket, upstream: Socket): void {
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (this.mode === 'blackhole') return;
        if (this.delayMs > 0) setTimeout(() => to.write(chunk), this.delayMs);
        else to.write(chunk);
      });
      from.on('close', () => to.destroy());
    };
    forward(client, upstream);
    forward(upstream, client);
  }

  /** resetAll drops every open connection, as a proxy restart would. */
  resetAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
