import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CellSpecError } from './cell.js';
import { FaultSpecError } from './faults.js';
import { camelKeys, snakeKeys } from './json-case.js';
import { InjectError, type InjectRequest } from './mt-delivery.js';
import type { SimulatedModem } from './simulated-modem.js';

/** What the control API drives: the modem and, when there is one, its device link. */
export interface ControlTarget {
  modem: SimulatedModem;
  plugged(): boolean;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * The simulator's control API, JSON over local HTTP, for tests and people driving it by hand: inject MT SMS, read what was sent and stored, switch
 * faults, read state and the AT log, reboot, unplug and replug. Errors are `{"error": "..."}` with 400/404/405.
 */
export function createControlServer(target: ControlTarget): Server {
  const { modem } = target;
  type Handler = (body: Record<string, unknown>, query: URLSearchParams) => Promise<unknown> | unknown;
  const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
    // Every answer goes through snakeKeys: the TypeScript objects are camelCase in places (faults, stored messages).
    '/state': { GET: () => snakeKeys({ ...modem.state(), plugged: target.plugged() }) },
    '/sent': { GET: () => snakeKeys(modem.sent()) },
    '/storage': { GET: () => snakeKeys(modem.storage()) },
    '/log': {
      GET: (_body, query) => {
        const since = Number(query.get('since') ?? '0');
        if (!Number.isInteger(since) || since < 0) throw new HttpError(400, 'since must be a non-negative integer');
        return snakeKeys(modem.log(since));
      },
    },
    '/faults': {
      GET: () => snakeKeys(modem.faults()),
      POST: (body) => snakeKeys(modem.setFaults(camelKeys(body) as Record<string, unknown>)),
    },
    '/cell': {
      GET: () => snakeKeys(modem.cell()),
      POST: (body) => snakeKeys(modem.setCell(camelKeys(body) as Record<string, unknown>)),
    },
    '/sms': { POST: (body) => snakeKeys({ parts: modem.injectSms(body as unknown as InjectRequest) }) },
    '/reboot': {
      POST: () => {
        modem.reboot();
        return { ok: true };
      },
    },
    '/unplug': {
      POST: async (body) => {
        const forMs = body.for_ms;
        if (forMs !== undefined && (typeof forMs !== 'number' || forMs < 0)) {
          throw new HttpError(400, 'for_ms must be a non-negative number');
        }
        await target.unplug();
        if (typeof forMs === 'number') setTimeout(() => void target.replug().catch(() => {}), forMs);
        return { ok: true, plugged: false };
      },
    },
    '/replug': {
      POST: async () => {
        await target.replug();
        return { ok: true, plugged: true };
      },
    },
  };
  return createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://localhost');
        const path = url.pathname.replace(/\/$/, '') || '/';
        const route = routes[path];
        if (!route) throw new HttpError(404, `no such endpoint ${path}; try ${Object.keys(routes).join(', ')}`);
        const method = request.method as 'GET' | 'POST';
        const handler = route[method];
        if (!handler) throw new HttpError(405, `${request.method} not allowed on ${path}`);
        const body = method === 'POST' ? await readJson(request) : {};
        send(response, 200, await handler(body, url.searchParams));
      } catch (error) {
        if (error instanceof HttpError) send(response, error.status, { error: error.message });
        else if (error instanceof FaultSpecError || error instanceof InjectError || error instanceof CellSpecError)
          send(response, 400, { error: error.message });
        else send(response, 500, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
}
