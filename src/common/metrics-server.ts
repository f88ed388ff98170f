/**
 * metrics-server: the HTTP listener every component serves Prometheus metrics on
 * (GET /metrics), with GET /healthz for load balancers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { splitHostPort } from './net.js';

/** MetricsServer is a running /metrics listener. */
export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** createRegistry returns a registry with Node process metrics (CPU, memory, event loop lag). */
export function createRegistry(component: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges *_total, which Prometheus reserves for counters; promtool
  // rejects them, so they go. CPU, memory, GC and event-loop lag remain.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  return registry;
}

/** startMetricsServer listens on `listen` ("host:port", port 0 for any) and serves the registry. */
export async function startMetricsServer(registry: Registry, listen: string, logger: Logger): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'collecting metrics failed');
          res.writeHead(500).end('collecting metrics failed\n');
        });
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
  });
  const { host, port } = splitHostPort(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/metrics`;
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
