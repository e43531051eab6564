import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedModem } from '../../../device/modem/index.js';
import { startWirelessEmulator, type WirelessEmulator } from '../../../device/network/index.js';
import { decodePdu } from '../../../src/sms/index.js';
import { WirelessClient } from '../../../src/wireless/index.js';
import { AtClient } from './at-client.js';
import { startWebhookReceiver } from './emulator-fixture.js';

// The emulator routing Commands through the real AT modem simulator (device/modem), in-process.
let modem: SimulatedModem;
let emulator: WirelessEmulator;
let client: WirelessClient;
let at: AtClient;

beforeEach(async () => {
  modem = new SimulatedModem({ bootDelayMs: 1, smsReadyDelayMs: 1, networkRetryMs: 20, iccid: '8901260000000000042' });
  await modem.whenReady();
  emulator = await startWirelessEmulator({ sims: [{ uniqueName: 'gw', modem }], deliveryDeadlineMs: 1_500 });
  client = new WirelessClient({
    baseUrl: emulator.wirelessBaseUrl,
    credentials: { accountSid: emulator.accountSid, authToken: emulator.authToken },
  });
  at = new AtClient(modem.connect());
  expect(await at.command('AT+CMGF=0')).toContain('OK');
});

afterEach(async () => {
  await client.close();
  await emulator.close();
  modem.dispose();
});

function storedMessages() {
  return modem
    .storage()
    .flatMap((memory) => memory.messages)
    .map((message) => decodePdu(message.pdu, { smsc: true }));
}

describe('emulator → simulated modem (MT)', () => {
  it('the SIM is the modem: its ICCID, and a text Command stored on it from 2936, then delivered', async () => {
    const [sim] = await (async () => {
      const out = [];
      for await (const s of client.sims.list({ iccid: '8901260000000000042' })) out.push(s);
      return out;
    })();
    expect(sim?.unique_name).toBe('gw');
    const created = await client.commands.create({ sim: 'gw', command: 'set interval 60', includeSid: 'start' });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    const [stored] = storedMessages();
    expect(stored).toMatchObject({ type: 'SMS-DELIVER', originator: '2936', text: `${created.sid} set interval 60` });
  });

  it('a binary Command arrives as 8-bit data', async () => {
    const created = await client.commands.create({ sim: 'gw', command: 'AAEC/w==', commandMode: 'binary' });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    expect(storedMessages()[0]).toMatchObject({ encoding: '8bit', data_hex: '000102FF', originator: '2936' });
  });

  it('storage full past the deadline: the Command fails', async () => {
    modem.setFaults({ storageFull: true });
    const created = await client.commands.create({ sim: 'gw', command: 'x' });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'failed', 5_000);
    expect(storedMessages()).toHaveLength(0);
  });

  it('storage full, freed before the deadline: the network retries and the Command is delivered', async () => {
    modem.setFaults({ storageFull: true });
    const created = await client.commands.create({ sim: 'gw', command: 'x' });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'sent');
    modem.setFaults({ storageFull: false });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered', 3_000);
  });

  it('SIM not ready on the device: the Command fails at once', async () => {
    modem.setFaults({ simNotReady: { code: 10, forMs: 60_000 } });
    const created = await client.commands.create({ sim: 'gw', command: 'x' });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'failed', 1_000);
  });

  it('the CallbackUrl gets the final status as a form POST', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const next = receiver.next();
      const created = await client.commands.create({ sim: 'gw', command: 'x', callbackUrl: `${receiver.url}/status` });
      const callback = await next;
      expect(callback.method).toBe('POST');
      expect(Object.fromEntries(new URLSearchParams(callback.body))).toMatchObject({
        CommandSid: created.sid,
        Status: 'delivered',
        Direction: 'to_sim',
        SimUniqueName: 'gw',
        AccountSid: emulator.accountSid,
        ApiVersion: 'v1',
      });
    } finally {
      await receiver.close();
    }
  });
});

describe('simulated modem → emulator (MO)', () => {
  it('an SMS to 2936 becomes a from_sim Command, received, POSTed to the commands_callback_url', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await client.sims.update('gw', { commandsCallbackUrl: `${receiver.url}/mo` });
      const next = receiver.next();
      await at.sendSms('2936', { text: 'temp=21.5' });
      const callback = await next;
      const params = Object.fromEntries(new URLSearchParams(callback.body));
      const sim = emulator.network.findSim('gw')!;
      expect(params).toEqual({
        AccountSid: emulator.accountSid,
        ApiVersion: 'v1',
        Command: 'temp=21.5',
        CommandSid: expect.stringMatching(/^DC[0-9a-f]{32}$/),
        CommandMode: 'text',
        Direction: 'from_sim',
        SimSid: sim.sid,
        SimUniqueName: 'gw',
        Status: 'received',
      });
      const listed = [];
      for await (const c of client.commands.list({ direction: 'from_sim' })) listed.push(c);
      expect(listed).toEqual([
        expect.objectContaining({ sid: params.CommandSid, status: 'received', command: 'temp=21.5' }),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('an 8-bit SMS to 2936 becomes a binary Command (base64)', async () => {
    await at.sendSms('2936', { data: new Uint8Array([1, 2, 3, 250]) });
    const command = await emulator.waitForCommand((c) => c.direction === 'from_sim');
    expect(command).toMatchObject({ mode: 'binary', command: Buffer.from([1, 2, 3, 250]).toString('base64') });
  });

  it('a multipart SMS becomes one Command, truncated to 160 characters (33111)', async () => {
    const long = `${'a'.repeat(150)}${'b'.repeat(50)}`;
    await at.sendSms('2936', { text: long });
    const command = await emulator.waitForCommand((c) => c.direction === 'from_sim');
    expect(command.command).toBe(long.slice(0, 160));
    expect(emulator.network.commands.filter((c) => c.direction === 'from_sim')).toHaveLength(1);
  });

  it('an SMS to another number is not a Command; a suspended SIM sends none', async () => {
    const ignored: string[] = [];
    emulator.network.on('mo-ignored', (event: { reason: string }) => ignored.push(event.reason));
    await at.sendSms('+15551234567', { text: 'hello' });
    await client.sims.update('gw', { status: 'suspended' });
    await at.sendSms('2936', { text: 'hello' });
    expect(ignored).toEqual(['destination +15551234567 is not a Commands short code', 'SIM is suspended']);
    expect(emulator.network.commands).toHaveLength(0);
  });

  it('DataSessions and UsageRecords follow the traffic', async () => {
    const created = await client.commands.create({ sim: 'gw', command: 'ping' });
    await emulator.waitForCommand((c) => c.sid === created.sid && c.status === 'delivered');
    await at.sendSms('2936', { text: 'pong' });
    await emulator.waitForCommand((c) => c.direction === 'from_sim');
    const sim = emulator.network.findSim('gw')!;
    const sessions = [];
    for await (const s of client.sims.dataSessions(sim.sid)) sessions.push(s);
    expect(sessions).toEqual([
      expect.objectContaining({
        imei: modem.state().identity.imei,
        packets_uploaded: 1,
        packets_downloaded: 1,
        end: null,
      }),
    ]);
    const usage = [];
    for await (const u of client.sims.usageRecords(sim.sid)) usage.push(u);
    expect(usage).toHaveLength(1);
    expect(usage[0]?.commands).toMatchObject({ to_sim: 1, from_sim: 1, total: 2 });
    expect(usage[0]?.data).toMatchObject({ upload: 4, download: 4, total: 8 });
  });
});

describe('stopping', () => {
  it('close() ends a delivery waiting for a full storage at once, not at the deadline', async () => {
    const slow = await startWirelessEmulator({ sims: [{ uniqueName: 'gw2', modem }], deliveryDeadlineMs: 60_000 });
    const slowClient = new WirelessClient({
      baseUrl: slow.wirelessBaseUrl,
      credentials: { accountSid: slow.accountSid, authToken: slow.authToken },
    });
    modem.setFaults({ storageFull: true });
    const created = await slowClient.commands.create({ sim: 'gw2', command: 'x' });
    await slow.waitForCommand((c) => c.sid === created.sid && c.status === 'sent');
    await slowClient.close();
    const started = Date.now();
    await slow.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
