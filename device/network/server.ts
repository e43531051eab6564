import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError } from './api-errors.js';
import type { EmulatedNetwork } from './network.js';
import type { RequestFaults } from './request-faults.js';
import type { Route, RouteResult } from './route.js';
import { superSimRoutes } from './routes-supersim.js';
import { wirelessRoutes } from './routes-wireless.js';
import { TOKEN_PATH, type TokenIssuer } from './token-issuer.js';

/**
 * The HTTP face of the emulator (node:http). Wireless v1 lives under `/v1`, Super SIM v1 under `/supersim/v1`
 * (the real APIs are two hosts with overlapping paths, e.g. both have /v1/Sims). Requests are form-encoded,
 * responses JSON; every error is `{"code","message","more_info","status"}`. Requests carry either HTTP Basic
 * credentials (Twilio's form) or a Bearer token from the OAuth 2.0 token endpoint at TOKEN_PATH (KORE's form).
 */
export const WIRELESS_PREFIX = '/v1';
export const SUPER_SIM_PREFIX = '/supersim/v1';
const MAX_BODY_BYTES = 64 * 1024;

export interface Credential {
  username: string;
  password: string;
}

interface ApiServerOptions {
  network: EmulatedNetwork;
  /** Accepted Basic credentials: the account (SID + token) and any API keys (SID + secret). */
  credentials: () => readonly Credential[];
  /** Issues and checks the Bearer tokens of KORE's form. */
  tokens: TokenIssuer;
  /** More Super SIM routes that need state beyond the network (IP Commands and their UDP side). */
  superSimExtraRoutes?: Route[];
  /** `http://host:port`, known once the server listens. */
  origin: () => string;
  now: () => number;
  faults: RequestFaults;
  /** Called once per answered request (for logs); never with credentials or bodies. */
  onRequest?: (event: ApiRequestEvent) => void;
}

export interface ApiRequestEvent {
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function authorized(header: string | undefined, accepted: readonly Credential[], tokens: TokenIssuer): boolean {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (bearer?.[1]) return tokens.accepts(bearer[1]);
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return accepted.some((c) => safeEqual(c.username, user) && safeEqual(c.password, password));
}

/** A malformed %-escape in a path is just a name that matches nothing (404), not a crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('invalidParameter', `request body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: RouteResult, headers: Record<string, string> = {}): void {
  if (result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const json = JSON.stringify(result.body);
  response
    .writeHead(result.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(json)),
      ...headers,
    })
    .end(json);
}

function route(path: string, extra: Route[]): { routes: Route[]; rest: string; prefix: string } | undefined {
  if (path.startsWith(`${SUPER_SIM_PREFIX}/`)) {
    const routes = extra.length > 0 ? [...superSimRoutes, ...extra] : superSimRoutes;
    return { routes, rest: path.slice(SUPER_SIM_PREFIX.length), prefix: SUPER_SIM_PREFIX };
  }
  if (path.startsWith(`${WIRELESS_PREFIX}/`)) {
    return { routes: wirelessRoutes, rest: path.slice(WIRELESS_PREFIX.length), prefix: WIRELESS_PREFIX };
  }
  return undefined;
}

async function handle(options: ApiServerOptions, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://emulator');
  if (url.pathname === TOKEN_PATH && request.method === 'POST') {
    send(response, options.tokens.issue(new URLSearchParams(await readBody(request))), { 'cache-control': 'no-store' });
    return;
  }
  if (!authorized(request.headers.authorization, options.credentials(), options.tokens)) {
    const bearer = /^Bearer\s/i.test(request.headers.authorization ?? '');
    const error = new ApiError(
      'authenticate',
      bearer
        ? 'Authentication Error - the access token is invalid or expired'
        : 'Authentication Error - invalid username or password',
    );
    const challenge = bearer ? 'Bearer error="invalid_token"' : 'Basic realm="Twilio API"';
    send(response, { status: error.status, body: error.toBody() }, { 'www-authenticate': challenge });
    request.resume();
    return;
  }
  const method = request.method ?? 'GET';
  const fault = options.faults.take(method);
  if (fault) {
    request.resume();
    send(response, { status: fault.status, body: fault.body }, fault.headers);
    return;
  }
  const target = route(url.pathname, options.superSimExtraRoutes ?? []);
  const candidates = target ? target.routes.filter((r) => r.path.test(target.rest)) : [];
  const chosen = candidates.find((r) => r.method === method);
  if (!target || !chosen) {
    request.resume();
    const error =
      candidates.length > 0
        ? new ApiError('methodNotAllowed', `Method ${method} is not allowed on ${url.pathname}`)
        : new ApiError('notFound', `The requested resource ${url.pathname} was not found`);
    send(response, { status: error.status, body: error.toBody() });
    return;
  }
  if (method !== 'POST') request.resume();
  const body = method === 'POST' ? await readBody(request) : '';
  const params = (chosen.path.exec(target.rest) ?? []).slice(1).map((p) => safeDecode(p ?? ''));
  const result = chosen.handle({
    network: options.network,
    params,
    query: url.searchParams,
    form: new URLSearchParams(body),
    base: `${options.origin()}${target.prefix}`,
    now: options.now,
  });
  send(response, result);
}

export function createApiServer(options: ApiServerOptions): Server {
  return createServer((request, response) => {
    const started = Date.now();
    if (options.onRequest) {
      const report = options.onRequest;
      response.once('finish', () => {
        const path = new URL(request.url ?? '/', 'http://emulator').pathname;
        try {
          report({ method: request.method ?? '', path, status: response.statusCode, durationMs: Date.now() - started });
        } catch {
          // a log hook that throws must not affect the server
        }
      });
    }
    handle(options, request, response).catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof ApiError) {
        send(response, { status: error.status, body: error.toBody() });
        return;
      }
      // Not the client's fault: answer like the API's internal error, still in its shape.
      const message = error instanceof Error ? error.message : String(error);
      const body = { code: 20500, message, more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 };
      send(response, { status: 500, body });
    });
  });
}
