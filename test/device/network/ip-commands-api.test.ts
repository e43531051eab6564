import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type IpCommandRecord,
  MemorySmsLink,
  startWirelessEmulator,
  type WirelessEmulator,
} from '../../../device/network/index.js';
import { startWebhookReceiver } from './emulator-fixture.js';
import { loadSpec, validateErrorBody, validateResponse } from './openapi-validator.js';

// Super SIM IP Commands in the emulator: the REST resource strictly per twilio_supersim_v1.json, and real UDP on
// loopback to a "device" socket and from it to the emulator's stand-in for 100.64.0.1.
const supersim = loadSpec('supersim');
let emulator: WirelessEmulator;
let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let device: Socket;
let devicePort: number;
let auth: string;
const received: Array<{ payload: Buffer; port: number }> = [];

async function call(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
  const response = await request(`${emulator.superSimBaseUrl}${path}`, {
    method,
    headers: {
      authorization: auth,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: JSON.parse(text) as Record<string, unknown> };
}

function settled(sid: string, timeoutMs = 5_000): Promise<IpCommandRecord> {
  return new Promise((resolve, reject) => {
    const check = (record: IpCommandRecord) => {
      if (record.sid !== sid || record.status === 'queued') return;
      clearTimeout(timer);
      emulator.ipCommands.off('ip-command', check);
      resolve(record);
    };
    const timer = setTimeout(() => reject(new Error(`IP Command ${sid} still queued`)), timeoutMs);
    emulator.ipCommands.on('ip-command', check);
    const now = emulator.ipCommands.find(sid);
    if (now) check(now);
  });
}

function nextDatagram(timeoutMs = 5_000): Promise<{ payload: Buffer; port: number }> {
  const seen = received.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no datagram reached the device')), timeoutMs);
    const poll = () => {
      if (received.length > seen) {
        clearTimeout(timer);
        resolve(received[seen]!);
      } else setImmediate(poll);
    };
    poll();
  });
}

beforeAll(async () => {
  webhooks = await startWebhookReceiver();
  device = createSocket('udp4');
  device.on('message', (payload, from) => received.push({ payload, port: from.port }));
  await new Promise<void>((resolve) => device.bind(0, '127.0.0.1', resolve));
  devicePort = (device.address() as AddressInfo).port;
  emulator = await startWirelessEmulator({
    ipCommands: { fleetCallbackUrl: `${webhooks.url}/ip-commands` },
    sims: [
      { iccid: '8988307000000000001', uniqueName: 'gw', link: new MemorySmsLink(), ipAddress: '127.0.0.1' },
      { iccid: '8988307000000000002', uniqueName: 'offline', link: new MemorySmsLink() },
    ],
  });
  auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
});

afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => device.close(() => resolve()));
  await webhooks.close();
});

describe('POST /v1/IpCommands delivers one datagram to the SIM on its data session', () => {
  it('text: queued (valid per spec), then the device gets the UTF-8 bytes and the command is sent with device_ip', async () => {
    const created = await call('POST', '/IpCommands', {
      Sim: 'gw',
      Payload: 'checkin: firmware ✓',
      DevicePort: String(devicePort),
    });
    expect(created.status).toBe(201);
    expect(validateResponse(supersim, 'POST', '/v1/IpCommands', 201, created.body)).toEqual([]);
    expect(created.body).toMatchObject({
      status: 'queued',
      direction: 'to_sim',
      device_ip: null,
      payload_type: 'text',
    });
    const datagram = await nextDatagram();
    expect(datagram.payload.toString('utf8')).toBe('checkin: firmware ✓');
    const done = await settled(created.body.sid as string);
    expect(done).toMatchObject({ status: 'sent', deviceIp: '127.0.0.1', devicePort });
    const fetched = await call('GET', `/IpCommands/${created.body.sid as string}`);
    expect(validateResponse(supersim, 'GET', '/v1/IpCommands/{Sid}', 200, fetched.body)).toEqual([]);
    expect(fetched.body).toMatchObject({ status: 'sent', device_ip: '127.0.0.1', device_port: devicePort });
  });

  it('binary: base64 in the API, the raw bytes on the wire', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const created = await call('POST', '/IpCommands', {
      Sim: 'gw',
      Payload: bytes.toString('base64'),
      PayloadType: 'binary',
      DevicePort: String(devicePort),
    });
    expect(created.status).toBe(201);
    expect((await nextDatagram()).payload).toEqual(bytes);
  });

  it('1300 bytes is accepted; 1301 is refused with 400 in the error shape, and nothing is sent', async () => {
    const ok = await call('POST', '/IpCommands', {
      Sim: 'gw',
      Payload: 'x'.repeat(1300),
      DevicePort: String(devicePort),
    });
    expect(ok.status).toBe(201);
    expect((await nextDatagram()).payload.length).toBe(1300);
    const before = emulator.ipCommands.commands.length;
    const tooBig = await call('POST', '/IpCommands', {
      Sim: 'gw',
      Payload: Buffer.alloc(1301).toString('base64'),
      PayloadType: 'binary',
      DevicePort: String(devicePort),
    });
    expect(tooBig.status).toBe(400);
    expect(validateErrorBody(tooBig.body, 400)).toEqual([]);
    expect(tooBig.body.message).toMatch(/1301 bytes.*cannot exceed 1300/);
    expect(emulator.ipCommands.commands.length).toBe(before);
  });

  it('a SIM without a data session gets failed, as the real service does', async () => {
    const created = await call('POST', '/IpCommands', { Sim: 'offline', Payload: 'hello', DevicePort: '6969' });
    expect(created.status).toBe(201);
    expect((await settled(created.body.sid as string)).status).toBe('failed');
  });

  it('bad parameters are 400/404 in the error shape', async () => {
    for (const [form, status] of [
      [{ Sim: 'gw', Payload: 'x' }, 400],
      [{ Sim: 'gw', Payload: 'x', DevicePort: '70000' }, 400],
      [{ Sim: 'gw', Payload: 'not base64!', PayloadType: 'binary', DevicePort: '1' }, 400],
      [{ Sim: 'gw', Payload: 'x', PayloadType: 'hex', DevicePort: '1' }, 400],
      [{ Sim: 'nobody', Payload: 'x', DevicePort: '1' }, 404],
    ] as const) {
      const result = await call('POST', '/IpCommands', form);
      expect(result.status, JSON.stringify(form)).toBe(status);
      expect(validateErrorBody(result.body, status)).toEqual([]);
    }
  });
});

describe('a datagram from the device to the emulator’s 100.64.0.1 becomes a from_sim IP Command', () => {
  it('recorded as received, binary, device_port = source port, and POSTed to the Fleet ip_commands_url', async () => {
    const { address, port } = emulator.ipCommands.listenAddress;
    const webhook = webhooks.next();
    await new Promise<void>((resolve, reject) =>
      device.send(Buffer.from('status: ok'), port, address, (error) => (error ? reject(error) : resolve())),
    );
    const posted = await webhook;
    const params = Object.fromEntries(new URLSearchParams(posted.body));
    expect(posted.url).toBe('/ip-commands');
    expect(params).toMatchObject({
      Direction: 'from_sim',
      Status: 'received',
      PayloadType: 'binary',
      Payload: Buffer.from('status: ok').toString('base64'),
      DeviceIp: '127.0.0.1',
      DevicePort: String(devicePort),
      SimIccid: '8988307000000000001',
    });
    const list = await call('GET', '/IpCommands?Direction=from_sim&SimIccid=8988307000000000001');
    expect(validateResponse(supersim, 'GET', '/v1/IpCommands', 200, list.body)).toEqual([]);
    expect(list.body.ip_commands).toEqual([
      expect.objectContaining({ sid: params.IpCommandSid, status: 'received', device_port: devicePort }),
    ]);
  });
});

describe('GET /v1/IpCommands lists per spec', () => {
  it.each([
    ['all', ''],
    ['by Sim', '?Sim=gw'],
    ['by Status', '?Status=failed'],
    ['by Direction', '?Direction=to_sim'],
    ['one per page', '?PageSize=1&Page=1'],
  ])('%s', async (_name, query) => {
    const { status, body } = await call('GET', `/IpCommands${query}`);
    expect(status).toBe(200);
    expect(validateResponse(supersim, 'GET', '/v1/IpCommands', 200, body)).toEqual([]);
    expect((body.meta as { key: string }).key).toBe('ip_commands');
  });

  it('filters and pages', async () => {
    const failed = await call('GET', '/IpCommands?Status=failed');
    expect((failed.body.ip_commands as Array<{ status: string }>).every((c) => c.status === 'failed')).toBe(true);
    expect(failed.body.ip_commands).toHaveLength(1);
    const page = await call('GET', '/IpCommands?Direction=to_sim&PageSize=2');
    expect(page.body.ip_commands).toHaveLength(2);
    const next = (page.body.meta as { next_page_url: string }).next_page_url;
    expect(next).toContain('Direction=to_sim');
    const unknown = await call('GET', '/IpCommands?Sim=HS00000000000000000000000000000000');
    expect(unknown.body.ip_commands).toEqual([]);
  });
});
