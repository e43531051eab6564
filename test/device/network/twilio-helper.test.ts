import twilio from 'twilio';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../../device/network/index.js';
import { startWebhookReceiver } from './emulator-fixture.js';

/**
 * Proof of compatibility: the official `twilio` helper library talks to the emulator through its documented custom
 * HTTP client option (github.com/twilio/twilio-node, advanced-examples/custom-http-client.md): an object with
 * `request(opts)` resolving to `{ statusCode, body, headers }`. This one sends the library's request to the emulator
 * instead of the public hosts, unchanged otherwise (method, auth, query, form body).
 */
interface HelperRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

function toForm(values: Record<string, unknown> | undefined): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) out.append(key, String(item));
    else out.append(key, String(value));
  }
  return out;
}

class EmulatorHttpClient {
  constructor(private readonly emulator: WirelessEmulator) {}

  async request(opts: HelperRequest) {
    const original = new URL(opts.uri);
    const base =
      original.hostname === 'supersim.twilio.com'
        ? this.emulator.superSimBaseUrl.replace(/\/v1$/, '')
        : original.hostname === 'wireless.twilio.com'
          ? this.emulator.url
          : original.origin; // next_page_url already points at the emulator
    const target = new URL(`${base}${original.pathname}${original.search}`);
    for (const [key, value] of toForm(opts.params)) target.searchParams.append(key, value);
    const method = opts.method.toUpperCase() as 'GET' | 'POST' | 'DELETE';
    const auth = Buffer.from(`${opts.username}:${opts.password}`).toString('base64');
    const response = await request(target, {
      method,
      headers: { ...opts.headers, authorization: `Basic ${auth}` },
      body: method === 'POST' ? toForm(opts.data).toString() : undefined,
    });
    return { statusCode: response.statusCode, body: await response.body.text(), headers: response.headers };
  }
}

let emulator: WirelessEmulator;
let link: MemorySmsLink;
let client: ReturnType<typeof twilio>;

beforeAll(async () => {
  link = new MemorySmsLink();
  emulator = await startWirelessEmulator({
    sims: [{ iccid: '8901260000000000001', uniqueName: 'gateway-1', link }],
  });
  client = twilio(emulator.accountSid, emulator.authToken, {
    httpClient: new EmulatorHttpClient(emulator) as unknown as NonNullable<Parameters<typeof twilio>[2]>['httpClient'],
  });
});

afterAll(async () => {
  await emulator.close();
});

describe('the official twilio helper library against the emulator', () => {
  it('creates a Command and fetches it', async () => {
    const created = await client.wireless.v1.commands.create({ sim: 'gateway-1', command: 'hello', includeSid: 'end' });
    expect(created.sid).toMatch(/^DC[0-9a-f]{32}$/);
    expect(created.status).toBe('queued');
    expect(created.dateCreated).toBeInstanceOf(Date);
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    const fetched = await client.wireless.v1.commands(created.sid).fetch();
    expect(fetched).toMatchObject({ sid: created.sid, status: 'delivered', direction: 'to_sim', commandMode: 'text' });
    expect(link.received.at(-1)).toEqual({ from: '2936', text: `hello ${created.sid}` });
  });

  it('lists Commands across pages (absolute next_page_url) with a filter', async () => {
    for (let i = 0; i < 4; i++) await client.wireless.v1.commands.create({ sim: 'gateway-1', command: `n${i}` });
    await emulator.network.idle();
    const all = await client.wireless.v1.commands.list({ direction: 'to_sim', pageSize: 2 });
    expect(all.map((c) => c.command)).toEqual(['n3', 'n2', 'n1', 'n0', 'hello']);
  });

  it('lists, fetches and updates Sims, and sees the API errors as RestException', async () => {
    const sims = await client.wireless.v1.sims.list({ iccid: '8901260000000000001' });
    expect(sims).toHaveLength(1);
    const sim = sims[0]!;
    expect(sim.uniqueName).toBe('gateway-1');
    const receiver = await startWebhookReceiver();
    try {
      const updated = await client.wireless.v1.sims(sim.sid).update({ commandsCallbackUrl: `${receiver.url}/mo` });
      expect(updated.commandsCallbackUrl).toBe(`${receiver.url}/mo`);
      expect((await client.wireless.v1.sims('gateway-1').fetch()).sid).toBe(sim.sid);
      const mo = receiver.next();
      link.sendFromDevice({ to: '2936', text: 'pump on' });
      const callback = await mo;
      // The emulator signs webhooks the way the API does; the library's own validator accepts the signature.
      const params = Object.fromEntries(new URLSearchParams(callback.body));
      const signature = String(callback.headers['x-twilio-signature']);
      expect(twilio.validateRequest(emulator.authToken, signature, `${receiver.url}/mo`, params)).toBe(true);
      expect(params).toMatchObject({ Command: 'pump on', SimSid: sim.sid, Status: 'received', Direction: 'from_sim' });
    } finally {
      await receiver.close();
    }
    const error = await client.wireless.v1
      .sims('DE00000000000000000000000000000000')
      .fetch()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 20404 });
  });

  it('creates and fetches a Super SIM SmsCommand', async () => {
    const sim = emulator.network.findSim('gateway-1')!;
    const created = await client.supersim.v1.smsCommands.create({ sim: sim.superSimSid, payload: 'super' });
    expect(created.sid).toMatch(/^HC[0-9a-f]{32}$/);
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    expect((await client.supersim.v1.smsCommands(created.sid).fetch()).status).toBe('delivered');
    expect(link.received.at(-1)).toEqual({ from: '000', text: 'super' });
  });
});
