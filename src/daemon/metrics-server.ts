import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../util/logger.js';
import type { Health } from './metrics.js';

export interface MetricsServerOptions {
  registry: Registry;
  health(): Health;
  port: number;
  logger: Logger;
  /** Loopback only: the metrics say a lot about the gateway and have no authentication. */
  host?: '127.0.0.1';
}

/**
 * `GET /metrics` (Prometheus text exposition format 0.0.4) and `GET /healthz` (200 or 503 with a JSON body saying
 * why) on 127.0.0.1. Anything else is 404; any method but GET/HEAD is 405.
 */
export class MetricsServer {
  private server: Server | null = null;

  constructor(private readonly options: MetricsServerOptions) {}

  /** Resolves once listening; rejects with a sentence naming the port when it cannot bind. */
  start(): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/healthz') {
        const body = this.options.health();
        res.writeHead(body.healthy ? 200 : 503, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify(body)}\n`);
        return;
      }
      if (path === '/metrics') {
        this.options.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': this.options.registry.contentType });
            res.end(text);
          },
          (error: unknown) => {
            this.options.logger.warn({ err: error }, 'metrics collection failed');
            res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
          },
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
    });
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(`metrics.port: cannot listen on ${host}:${this.options.port}: ${error.code ?? error.message}`),
        ),
      );
      server.listen(this.options.port, host, () => {
        const port = (server.address() as AddressInfo).port;
        this.options.logger.info({ url: `http://${host}:${port}/metrics` }, 'metrics listening');
        resolve(port);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
