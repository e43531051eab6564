import { afterEach, describe, expect, it } from 'vitest';
import {
  WirelessApiError,
  WirelessClient,
  type WirelessClientOptions,
  type WirelessRequestEvent,
  WirelessTransportError,
} from '../../src/wireless/index.js';
import { json, startScriptedServer } from './test-server.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'super-secret-token';
const COMMAND = { sid: 'DC0123456789abcdef0123456789abcdef', status: 'queued' };
const BUSY = {
  code: 20429,
  message: 'Too Many Requests',
  more_info: 'https://www.twilio.com/docs/errors/20429',
  status: 429,
};

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function clientFor(
  answer: Parameters<typeof startScriptedServer>[0],
  options: Partial<WirelessClientOptions> = {},
) {
  const server = await startScriptedServer(answer);
  const sleeps: number[] = [];
  const events: WirelessRequestEvent[] = [];
  const client = new WirelessClient({
    baseUrl: `${server.url}/v1`,
    credentials: { accountSid: SID, authToken: TOKEN },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRequest: (event) => events.push(event),
    ...options,
  });
  cleanup.push(server.close, () => client.close());
  return { server, client, sleeps, events };
}

describe('WirelessClient over HTTP', () => {
  it('sends Basic auth and form-encoded UpperCamelCase parameters', async () => {
    const { server, client } = await clientFor((_req, _i, res) => json(res, 201, COMMAND));
    await client.commands.create({
      sim: 'gw 1',
      command: 'a&b=c',
      includeSid: 'start',
      deliveryReceiptRequested: false,
    });
    const [request] = server.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/Commands');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      Command: 'a&b=c',
      Sim: 'gw 1',
      IncludeSid: 'start',
      DeliveryReceiptRequested: 'false',
    });
  });

  it('uses the API key SID as the user name when given an API key', async () => {
    const { server, client } = await clientFor((_req, _i, res) => json(res, 200, { sid: 'DE1' }), {
      credentials: { apiKeySid: 'SKabc', apiKeySecret: 'key-secret' },
    });
    await client.sims.fetch('DE1');
    expect(server.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('SKabc:key-secret').toString('base64')}`);
  });

  it('turns an error body into WirelessApiError with code, message, more_info and status', async () => {
    const body = {
      code: 20404,
      message: 'not found',
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    };
    const { client } = await clientFor((_req, _i, res) => json(res, 404, body));
    const error = await client.commands.fetch('DCx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirelessApiError);
    expect((error as WirelessApiError).toJSON()).toEqual(body);
    expect((error as WirelessApiError).more_info).toBe(body.more_info);
  });

  it('a non-JSON error page still becomes a WirelessApiError naming the status', async () => {
    const { client } = await clientFor((_req, _i, res) => res.writeHead(502).end('<html>Bad gateway</html>'));
    const error = (await client.sims.fetch('x').catch((e: unknown) => e)) as WirelessApiError;
    expect(error).toBeInstanceOf(WirelessApiError);
    expect(error).toMatchObject({ status: 502, code: null });
    expect(error.message).toContain('HTTP 502');
  });

  it('retries a GET after 503 with exponential backoff, then succeeds', async () => {
    const { server, client, sleeps } = await clientFor((_req, i, res) =>
      i < 2 ? json(res, 503, { code: 20503, message: 'down', more_info: '', status: 503 }) : json(res, 200, COMMAND),
    );
    await expect(client.commands.fetch(COMMAND.sid)).resolves.toEqual(COMMAND);
    expect(server.seen).toHaveLength(3);
    // full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms
    expect(sleeps).toEqual([250, 500]);
  });

  it('honours Retry-After on 429', async () => {
    const { client, sleeps } = await clientFor((_req, i, res) =>
      i === 0 ? json(res, 429, BUSY, { 'retry-after': '7' }) : json(res, 200, COMMAND),
    );
    await client.commands.fetch(COMMAND.sid);
    expect(sleeps).toEqual([7000]);
  });

  it('gives up when Retry-After asks for longer than the bound, without sleeping', async () => {
    const { server, client, sleeps } = await clientFor((_req, _i, res) =>
      json(res, 429, BUSY, { 'retry-after': '3600' }),
    );
    const error = await client.commands.fetch(COMMAND.sid).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: 20429 });
    expect(sleeps).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('stops after maxRetries and throws the last error', async () => {
    const { server, client } = await clientFor((_req, _i, res) => json(res, 500, { code: 20500, message: 'boom' }), {
      retry: { maxRetries: 2 },
    });
    const error = await client.sims.fetch('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: 20500, message: 'boom' });
    expect(server.seen).toHaveLength(3);
  });

  it('never retries a POST that the server answered with 5xx (it may have created the Command)', async () => {
    const { server, client, sleeps } = await clientFor((_req, _i, res) =>
      json(res, 503, { code: 20503, message: 'x' }),
    );
    await expect(client.commands.create({ sim: 'x', command: 'y' })).rejects.toMatchObject({ status: 503 });
    expect(server.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out waiting for headers with a typed transport error, and retries GETs', async () => {
    const { server, client } = await clientFor(() => undefined, { headersTimeoutMs: 100, retry: { maxRetries: 1 } });
    const error = await client.sims.fetch('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirelessTransportError);
    expect((error as WirelessTransportError).kind).toBe('timeout');
    expect(server.seen).toHaveLength(2);
  });

  it('times out when the body stalls half-way (body timeout), without retrying a POST', async () => {
    const { server, client } = await clientFor(
      (_req, _i, res) => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.write('{"sid":');
      },
      { bodyTimeoutMs: 100 },
    );
    const error = await client.commands.create({ sim: 'x', command: 'y' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WirelessTransportError', kind: 'timeout', method: 'POST' });
    expect(server.seen).toHaveLength(1);
  });

  it('retries even a POST when the connection was refused (nothing was sent)', async () => {
    const { server } = await clientFor(() => undefined);
    const deadUrl = server.url;
    await server.close();
    const sleeps: number[] = [];
    const client = new WirelessClient({
      baseUrl: `${deadUrl}/v1`,
      credentials: { accountSid: SID, authToken: TOKEN },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      retry: { maxRetries: 2 },
    });
    cleanup.push(() => client.close());
    const error = await client.commands.create({ sim: 'x', command: 'y' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WirelessTransportError', kind: 'connect' });
    expect(sleeps).toHaveLength(2);
  });

  it('never puts the secret into errors or request events', async () => {
    const { client, events } = await clientFor((_req, _i, res) =>
      json(res, 401, { code: 20003, message: 'Authenticate' }),
    );
    const error = await client.sims.fetch('x').catch((e: unknown) => e);
    const everything = JSON.stringify([events, error, String(error), (error as Error).stack]);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(Buffer.from(`${SID}:${TOKEN}`).toString('base64'));
    expect(events).toEqual([expect.objectContaining({ method: 'GET', status: 401, attempt: 0 })]);
  });

  it('rejects a base URL that is not http(s) or carries credentials', () => {
    const credentials = { accountSid: SID, authToken: TOKEN };
    expect(() => new WirelessClient({ baseUrl: 'ftp://x/v1', credentials })).toThrow(/http or https/);
    expect(() => new WirelessClient({ baseUrl: 'http://u:p@x/v1', credentials })).toThrow(/credentials/);
    expect(() => new WirelessClient({ baseUrl: 'not a url', credentials })).toThrow(/not a valid URL/);
  });
});
