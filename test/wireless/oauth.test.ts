import { afterEach, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import {
  refreshMarginMs,
  WirelessApiError,
  WirelessClient,
  type WirelessClientOptions,
  type WirelessRequestEvent,
  WirelessTokenError,
} from '../../src/wireless/index.js';
import { json, type SeenRequest, startScriptedServer } from './test-server.js';

// KORE's form: OAuth 2.0 client credentials exchanged for a Bearer token (src/wireless/oauth-client.ts).
const CLIENT_ID = 'apiclient_01test';
const SECRET = 'client-secret-9d8e7f';
const SIM = { sid: 'DE0123456789abcdef0123456789abcdef', status: 'active' };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/**
 * A scripted server playing both the token endpoint (/token) and the API (/v1): tokens are `tok-1`, `tok-2`, … and
 * the API accepts only those in `valid`.
 */
async function koreServer(options: { expiresIn?: unknown; tokenStatus?: number } = {}) {
  let issued = 0;
  let refuseAll = false;
  const valid = new Set<string>();
  const server = await startScriptedServer((request: SeenRequest, _i, res) => {
    if (request.url === '/token') {
      if (options.tokenStatus) {
        json(res, options.tokenStatus, {
          error: 'unauthorized_client',
          error_description: 'Invalid client or Invalid client credentials',
        });
        return;
      }
      issued++;
      valid.add(`tok-${issued}`);
      json(res, 200, { access_token: `tok-${issued}`, expires_in: options.expiresIn ?? 3600, token_type: 'Bearer' });
      return;
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token && valid.has(token) && !refuseAll) json(res, 200, SIM);
    else json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
  });
  const events: WirelessRequestEvent[] = [];
  let clock = 1_000_000;
  const client = (extra: Partial<WirelessClientOptions> = {}) => {
    const created = new WirelessClient({
      baseUrl: `${server.url}/v1`,
      credentials: { clientId: CLIENT_ID, clientSecret: SECRET, tokenUrl: `${server.url}/token` },
      now: () => clock,
      sleep: async () => undefined,
      onRequest: (event) => events.push(event),
      ...extra,
    });
    cleanup.push(() => created.close());
    return created;
  };
  cleanup.push(server.close);
  return {
    server,
    client,
    events,
    valid,
    refuseAll: () => {
      refuseAll = true;
    },
    advance: (ms: number) => {
      clock += ms;
    },
    tokenRequests: () => server.seen.filter((r) => r.url === '/token'),
  };
}

describe('OAuth 2.0 client credentials (KORE form)', () => {
  it('posts grant_type, client_id and client_secret as a form, then sends the token as Bearer', async () => {
    const kore = await koreServer();
    const client = kore.client();
    expect(client.authKind).toBe('oauth');
    await client.sims.fetch(SIM.sid);
    const [token, call] = kore.server.seen;
    expect(token?.method).toBe('POST');
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });
    expect(call?.headers.authorization).toBe('Bearer tok-1');
  });

  it('caches the token: concurrent and later calls share one token request', async () => {
    const kore = await koreServer();
    const client = kore.client();
    await Promise.all([client.sims.fetch('a'), client.sims.fetch('b'), client.sims.fetch('c')]);
    await client.sims.fetch('d');
    expect(kore.tokenRequests()).toHaveLength(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const kore = await koreServer({ expiresIn: 3600 });
    const client = kore.client();
    await client.sims.fetch('a');
    kore.advance(3600_000 - refreshMarginMs(3600_000) - 1);
    await client.sims.fetch('b');
    expect(kore.tokenRequests()).toHaveLength(1);
    kore.advance(1);
    await client.sims.fetch('c');
    expect(kore.tokenRequests()).toHaveLength(2);
    expect(kore.server.seen.at(-1)?.headers.authorization).toBe('Bearer tok-2');
  });

  it('takes expires_in as a numeric string too (the guide shows a string)', async () => {
    const kore = await koreServer({ expiresIn: '120' });
    const client = kore.client();
    await client.sims.fetch('a');
    kore.advance(120_000);
    await client.sims.fetch('b');
    expect(kore.tokenRequests()).toHaveLength(2);
  });

  it('a token the server stopped accepting is refreshed once on 401 and the request succeeds, POST included', async () => {
    const kore = await koreServer();
    const client = kore.client();
    await client.sims.fetch('a');
    kore.valid.clear();
    await expect(client.sims.update('a', { status: 'active' })).resolves.toMatchObject({ sid: SIM.sid });
    expect(kore.tokenRequests()).toHaveLength(2);
    const updates = kore.server.seen.filter((r) => r.method === 'POST' && r.url !== '/token');
    expect(updates.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('refreshes only once: a second 401 is the API error, not a loop', async () => {
    const kore = await koreServer();
    const client = kore.client();
    await client.sims.fetch('a');
    kore.refuseAll(); // the server now refuses every token, new or old
    const error = await client.sims.fetch('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirelessApiError);
    expect(error).toMatchObject({ status: 401, code: 20003 });
    expect(kore.tokenRequests()).toHaveLength(2);
  });

  it('a refused secret is a WirelessTokenError naming the OAuth error; neither secret nor token is in events or errors', async () => {
    const kore = await koreServer({ tokenStatus: 401 });
    const client = kore.client();
    const error = await client.sims.fetch('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WirelessTokenError);
    expect(error).toMatchObject({ status: 401, oauthError: 'unauthorized_client' });
    expect((error as Error).message).toBe(
      'the token endpoint refused the client credentials (HTTP 401): unauthorized_client: Invalid client or Invalid client credentials',
    );
    expect(kore.server.seen.filter((r) => r.url !== '/token')).toHaveLength(0);
    const everything = JSON.stringify([kore.events, error, String(error), (error as Error).stack]);
    expect(everything).not.toContain(SECRET);
    expect(kore.events).toEqual([expect.objectContaining({ method: 'POST', status: 401 })]);
  });

  it('refuses a token response without access_token or with another token_type', async () => {
    for (const body of [{ expires_in: 60 }, { access_token: 'x', token_type: 'mac' }]) {
      const server = await startScriptedServer((_r, _i, res) => json(res, 200, body));
      cleanup.push(server.close);
      const client = new WirelessClient({
        baseUrl: `${server.url}/v1`,
        credentials: { clientId: CLIENT_ID, clientSecret: SECRET, tokenUrl: `${server.url}/token` },
      });
      cleanup.push(() => client.close());
      const error = await client.sims.fetch('a').catch((e: unknown) => e);
      expect((error as Error).name).toBe('WirelessResponseError');
      expect(server.seen).toHaveLength(1);
    }
  });
});

describe('both forms against the emulator', () => {
  let emulator: WirelessEmulator;
  let clock = Date.now();
  afterEach(async () => emulator?.close());

  async function start() {
    clock = Date.now();
    emulator = await startWirelessEmulator({
      now: () => clock,
      tokenLifetimeSeconds: 600,
      sims: [{ iccid: '8901260000000000001', uniqueName: 'gateway-1', link: new MemorySmsLink() }],
    });
    return emulator;
  }

  function koreClient(secret = emulator.clientSecret) {
    const client = new WirelessClient({
      baseUrl: emulator.wirelessBaseUrl,
      credentials: { clientId: emulator.clientId, clientSecret: secret, tokenUrl: emulator.tokenUrl },
    });
    cleanup.push(() => client.close());
    return client;
  }

  it('lists the same SIMs with Basic credentials and with a Bearer token', async () => {
    await start();
    const basic = new WirelessClient({
      baseUrl: emulator.wirelessBaseUrl,
      credentials: { accountSid: emulator.accountSid, authToken: emulator.authToken },
    });
    cleanup.push(() => basic.close());
    const viaBasic = (await basic.sims.list().next()).value;
    const viaBearer = (await koreClient().sims.list().next()).value;
    expect(viaBearer).toEqual(viaBasic);
    expect(viaBearer).toMatchObject({ unique_name: 'gateway-1' });
  });

  it('a token expired on the emulator is refreshed and the request succeeds', async () => {
    await start();
    const client = koreClient();
    await client.sims.list().next();
    clock += 601_000; // the emulator's clock passes the token's lifetime; the client's (real) clock does not
    await expect(client.sims.list().next()).resolves.toMatchObject({ value: { unique_name: 'gateway-1' } });
    expect(emulator.tokens.issuedCount).toBe(2);
  });

  it('a wrong secret is refused at the token endpoint with the documented shape', async () => {
    await start();
    const error = await koreClient('not-the-secret')
      .sims.list()
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WirelessTokenError', status: 401, oauthError: 'unauthorized_client' });
    expect(emulator.tokens.issuedCount).toBe(0);
  });

  it('refuses a Bearer token it never issued with 401 in the API error shape', async () => {
    await start();
    const response = await fetch(`${emulator.wirelessBaseUrl}/Sims`, { headers: { authorization: 'Bearer forged' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toMatchObject({ code: 20003, status: 401 });
  });
});
