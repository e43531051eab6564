import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IpCommandRecord, startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// Super SIM IP Commands through the real daemon and the emulator on loopback: the emulator sends each IP Command as a
// UDP datagram to the gateway (127.0.0.1 plays the SIM's data-session address and the cloud's source), and records
// what the gateway sends to its stand-in for 100.64.0.1 as from_sim. SMS Commands run on the same gateway meanwhile.

let broker: MosquittoBroker;
let sim: TestModemSim;
let emulator: WirelessEmulator;
let daemon: DaemonProcess;
let app: TestSubscriber;
let publisher: mqtt.MqttClient;
let dir: string;
let devicePort: number;
let config: string;

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function sendIpCommand(form: Record<string, string>) {
  const auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
  const response = await request(`${emulator.superSimBaseUrl}/IpCommands`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Sim: 'gw', DevicePort: String(devicePort), ...form }).toString(),
  });
  const body = (await response.body.json()) as { sid: string; status: string };
  expect(response.statusCode, JSON.stringify(body)).toBe(201);
  return body;
}

async function datagramFrom(address: string, payload: Buffer) {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  await new Promise<void>((resolve, reject) =>
    socket.send(payload, devicePort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

const received = () => app.on('ipe2e/command/received').map((m) => JSON.parse(m.text) as Record<string, unknown>);
const command = (what: string, predicate: (c: Record<string, unknown>) => boolean) =>
  waitFor(what, () => received().find(predicate), 15_000);
const statuses = (transaction: string) =>
  app
    .on('ipe2e/command/status')
    .map((m) => JSON.parse(m.text) as Record<string, unknown>)
    .filter((s) => s.transaction === transaction);
const fromSim = (predicate: (c: IpCommandRecord) => boolean) =>
  waitFor(
    'the from_sim IP Command in the emulator',
    () => emulator.ipCommands.commands.find((c) => c.direction === 'from_sim' && predicate(c)),
    15_000,
  );

function startDaemon(): DaemonProcess {
  return DaemonProcess.start(dir, config);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-ip-e2e-'));
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'quectel', pdpAddress: '127.0.0.1' });
  emulator = await startWirelessEmulator({
    sims: [{ iccid: sim.modem.state().identity.iccid, uniqueName: 'gw', modem: sim.modem, ipAddress: '127.0.0.1' }],
  });
  devicePort = await freeUdpPort();
  app = await TestSubscriber.connect(broker.url, ['ipe2e/#'], { clientId: 'ip-e2e-app', clean: false });
  config = daemonConfig(
    { serialPath: sim.path, mqttUrl: broker.url, baseTopic: 'ipe2e', storePath: join(dir, 'journal.db') },
    {
      commands: { product: 'super-sim' },
      ip_commands: {
        enabled: true,
        interface: 'lo',
        listen_port: devicePort,
        mo_address: '127.0.0.1',
        mo_port: emulator.ipCommands.listenAddress.port,
        allowed_sources: ['127.0.0.1'],
      },
    },
  );
  daemon = startDaemon();
  await daemon.waitForLog('IP Commands listening', (line) => line.msg === 'IP Commands: listening', 20_000);
  await waitFor('modem ready', () => app.on('ipe2e/modem/state').some((m) => m.text.includes('"ready"')), 20_000);
  publisher = await mqtt.connectAsync(broker.url);
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  await daemon?.signal('SIGTERM');
  await app?.close();
  await emulator?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the data link on modem/state', () => {
  it('shows the interface, its address, the modem PDP context and where IP Commands are listened for', async () => {
    const state = await waitFor(
      'modem/state with the data link',
      () =>
        app
          .on('ipe2e/modem/state')
          .map((m) => JSON.parse(m.text) as { data_link?: Record<string, unknown> })
          .find((s) => s.data_link?.pdp_active === true),
      20_000,
    );
    expect(state.data_link).toEqual({
      interface: 'lo',
      interface_present: true,
      address: '127.0.0.1',
      pdp_active: true,
      pdp_addresses: ['127.0.0.1'],
      ip_commands_listening: { address: '127.0.0.1', port: devicePort },
    });
  });
});

describe('IP Commands in: cloud → UDP → journal → command/received', () => {
  it('a text IP Command is published with "transport":"ip" and mode text', async () => {
    const created = await sendIpCommand({ Payload: 'open valve 7' });
    const published = await command('the text IP Command', (c) => c.body === 'open valve 7');
    expect(published).toMatchObject({
      transport: 'ip',
      mode: 'text',
      sid: null,
      parts: 1,
      partial: false,
      from: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    expect(String(published.id)).toMatch(/^ip_[0-9a-f]{32}$/);
    await waitFor('sent in the emulator', () => emulator.ipCommands.find(created.sid)?.status === 'sent');
  });

  it('binary bytes (not UTF-8) are published as base64, binary', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x10]);
    await sendIpCommand({ Payload: bytes.toString('base64'), PayloadType: 'binary' });
    const published = await command('the binary IP Command', (c) => c.body === bytes.toString('base64'));
    expect(published).toMatchObject({ transport: 'ip', mode: 'binary' });
  });

  it('1300 bytes arrive; a 1301-byte datagram is dropped, never published', async () => {
    await sendIpCommand({ Payload: 'a'.repeat(1300) });
    await command('the 1300-byte IP Command', (c) => c.body === 'a'.repeat(1300));
    await datagramFrom('127.0.0.1', Buffer.alloc(1301, 0x62));
    await daemon.waitForLog('the oversize datagram dropped', (line) =>
      String(line.msg).includes('over the IP Command size limit'),
    );
    expect(received().some((c) => String(c.body).startsWith('bbbb'))).toBe(false);
  });

  it('a datagram from a source outside allowed_sources is dropped and counted, never published', async () => {
    await datagramFrom('127.0.0.2', Buffer.from('reboot now'));
    await daemon.waitForLog('the stranger dropped', (line) =>
      String(line.msg).includes('outside ip_commands.allowed_sources'),
    );
    // A later, allowed one is published: the stranger's would have come first.
    await sendIpCommand({ Payload: 'after the stranger' });
    await command('the allowed IP Command', (c) => c.body === 'after the stranger');
    expect(received().some((c) => c.body === 'reboot now')).toBe(false);
  });
});

describe('IP Commands out: command/send "transport":"ip" → one datagram → from_sim', () => {
  it('a text reply is queued, sent when it left the socket, and recorded by the cloud as from_sim binary', async () => {
    await publisher.publishAsync(
      'ipe2e/command/send',
      JSON.stringify({ transport: 'ip', body: 'pong 1', transaction: 'ip-1' }),
      { qos: 1 },
    );
    const record = await fromSim((c) => Buffer.from(c.payload, 'base64').toString() === 'pong 1');
    expect(record).toMatchObject({ status: 'received', payloadType: 'binary', deviceIp: '127.0.0.1', devicePort });
    await waitFor('sent status', () => statuses('ip-1').find((s) => s.status === 'sent'));
    expect(statuses('ip-1').map((s) => s.status)).toEqual(['queued', 'sent']);
  });

  it('a binary reply of 1300 bytes goes out; 1301 bytes is refused with a clear status and nothing is sent', async () => {
    const big = Buffer.alloc(1300, 7).toString('base64');
    await publisher.publishAsync(
      'ipe2e/command/send',
      JSON.stringify({ transport: 'ip', mode: 'binary', body: big, transaction: 'ip-2' }),
      { qos: 1 },
    );
    await fromSim((c) => c.payload === big);
    const before = emulator.ipCommands.commands.length;
    await publisher.publishAsync(
      'ipe2e/command/send',
      JSON.stringify({ transport: 'ip', body: 'x'.repeat(1301), transaction: 'ip-3' }),
      { qos: 1 },
    );
    const refused = await waitFor('the refusal', () => statuses('ip-3').find((s) => s.status === 'failed'));
    expect(refused.error).toEqual({
      code: 'too_long',
      message: 'body: 1301 bytes; one IP Command carries at most 1300',
    });
    expect(emulator.ipCommands.commands.length).toBe(before);
  });
});

describe('SMS and IP Commands on one gateway', () => {
  it('interleaved both ways, each on its own transport', async () => {
    sim.modem.injectSms({ from: '000', text: 'sms one' });
    await sendIpCommand({ Payload: 'ip one' });
    sim.modem.injectSms({ from: '000', text: 'sms two' });
    await sendIpCommand({ Payload: 'ip two' });
    for (const body of ['sms one', 'ip one', 'sms two', 'ip two']) await command(body, (c) => c.body === body);
    expect(
      received()
        .filter((c) => String(c.body).startsWith('ip '))
        .every((c) => c.transport === 'ip'),
    ).toBe(true);
    expect(
      received()
        .filter((c) => String(c.body).startsWith('sms '))
        .every((c) => c.transport === undefined),
    ).toBe(true);

    await publisher.publishAsync('ipe2e/command/send', JSON.stringify({ body: 'sms reply', transaction: 'mix-sms' }), {
      qos: 1,
    });
    await publisher.publishAsync(
      'ipe2e/command/send',
      JSON.stringify({ transport: 'ip', body: 'ip reply', transaction: 'mix-ip' }),
      { qos: 1 },
    );
    await fromSim((c) => Buffer.from(c.payload, 'base64').toString() === 'ip reply');
    await waitFor(
      'the SMS reply in the cloud',
      () => emulator.network.commands.find((c) => c.direction === 'from_sim' && c.command === 'sms reply'),
      15_000,
    );
    expect(emulator.ipCommands.commands.some((c) => Buffer.from(c.payload, 'base64').toString() === 'sms reply')).toBe(
      false,
    );
    await waitFor(
      'both sent',
      () => statuses('mix-ip').some((s) => s.status === 'sent') && statuses('mix-sms').some((s) => s.status === 'sent'),
      15_000,
    );
  });
});

describe('durability', () => {
  it('SIGKILL after the journal took an IP Command but before the broker had it: published after the restart', async () => {
    await broker.stop();
    const journaled = () => daemon.lines.filter((line) => line.msg === 'IP Command received').length;
    const before = journaled();
    await sendIpCommand({ Payload: 'survives a crash' });
    // The daemon logs this right after the journal committed the datagram; the broker is away, so nothing is published.
    await waitFor('the IP Command journaled', () => journaled() > before, 15_000);
    await daemon.kill();
    await broker.start();
    daemon = startDaemon();
    const published = await command('the IP Command after the restart', (c) => c.body === 'survives a crash');
    expect(published).toMatchObject({ transport: 'ip', mode: 'text' });
  }, 60_000);
});
