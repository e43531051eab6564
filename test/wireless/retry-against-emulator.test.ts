import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiRequestEvent,
  MemorySmsLink,
  startWirelessEmulator,
  type WirelessEmulator,
} from '../../device/network/index.js';
import { collect, WirelessClient } from '../../src/wireless/index.js';

// The client's retry policy against the emulator's injected 429/503 (real HTTP on loopback, sleeps recorded).
let emulator: WirelessEmulator;
let client: WirelessClient;
let sleeps: number[];
let requests: ApiRequestEvent[];

beforeEach(async () => {
  requests = [];
  emulator = await startWirelessEmulator({
    sims: [{ iccid: '8901260000000000001', uniqueName: 'gw', link: new MemorySmsLink() }],
    onRequest: (event) => requests.push(event),
  });
  sleeps = [];
  client = new WirelessClient({
    baseUrl: emulator.wirelessBaseUrl,
    credentials: { accountSid: emulator.accountSid, authToken: emulator.authToken },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});

afterEach(async () => {
  await client.close();
  await emulator.close();
});

describe('retries against the emulator', () => {
  it('a list survives two 503s and a 429 with Retry-After', async () => {
    emulator.failRequests({ status: 503, count: 2 });
    emulator.failRequests({ status: 429, retryAfterSeconds: 2 });
    const sims = await collect(client.sims.list());
    expect(sims).toHaveLength(1);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[2]).toBe(2000);
    expect(requests.map((r) => r.status)).toEqual([503, 503, 429, 200]);
    expect(requests.every((r) => r.path === '/v1/Sims' && r.method === 'GET')).toBe(true);
  });

  it('a Command POST answered 503 is not repeated: exactly one attempt, the error surfaces', async () => {
    emulator.failRequests({ status: 503, methods: ['POST'] });
    await expect(client.commands.create({ sim: 'gw', command: 'x' })).rejects.toMatchObject({
      status: 503,
      code: 20503,
    });
    expect(requests).toEqual([expect.objectContaining({ method: 'POST', status: 503 })]);
    expect(emulator.network.commands).toHaveLength(0);
  });
});
