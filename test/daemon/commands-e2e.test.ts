import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../helpers/daemon.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import type { TestSubscriber } from '../helpers/mqtt-client.js';
import type { TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// One daemon for the whole file, as on a gateway: the simulator over a real pty, a real Mosquitto, the journal on
// disk. Each test injects at the simulator or publishes on MQTT, and looks at what a local program and the network see.

const SID = `DC${'a1b2c3d4e5f60718'.repeat(2)}`;
let rig: ProcessRig;
let sim: TestModemSim;
let daemon: DaemonProcess;
let app: TestSubscriber;
let publisher: mqtt.MqttClient;

beforeAll(async () => {
  rig = await startProcessRig({
    base: 'e2e',
    dirPrefix: 'm2m-e2e-',
    app: { clientId: 'e2e-app', clean: false },
    config: { commands: { multipart_timeout_seconds: 10, send_retry_initial_seconds: 1, send_max_attempts: 3 } },
    waitReady: true,
    stopWith: 'SIGTERM',
  });
  ({ sim, daemon, app } = rig);
  publisher = await mqtt.connectAsync(rig.broker.url);
});

afterAll(async () => {
  await publisher?.endAsync();
  await rig?.close();
});

const commands = () => app.on('e2e/command/received').map((m) => JSON.parse(m.text));
const statuses = (transaction: string) =>
  app
    .on('e2e/command/status')
    .map((m) => JSON.parse(m.text))
    .filter((s) => s.transaction === transaction);
const command = (predicate: (c: Record<string, unknown>) => boolean) =>
  waitFor('the command on MQTT', () => commands().find(predicate), 15_000);

describe('m2m-bridge run end to end: Commands in, replies out', () => {
  it('takes the IncludeSid off the start and the end of the text', async () => {
    sim.modem.injectSms({ from: '2936', text: `${SID} open valve 3` });
    sim.modem.injectSms({ from: '+2936', text: `close valve 3 ${SID.replace('DCa', 'DCb')}` });
    expect(await command((c) => c.body === 'open valve 3')).toMatchObject({ id: SID, sid: SID });
    expect(await command((c) => c.body === 'close valve 3')).toMatchObject({ sid: SID.replace('DCa', 'DCb') });
  });

  it('publishes an 8-bit SMS as a binary command', async () => {
    sim.modem.injectSms({ from: '2936', hex: '00ff10e2' });
    const binary = await command((c) => c.mode === 'binary');
    expect(Buffer.from(binary.body as string, 'base64').toString('hex')).toBe('00ff10e2');
  });

  it('reassembles a multipart command, and publishes one with a lost part as partial after the timeout', async () => {
    const long = `firmware url https://example.invalid/${'x'.repeat(300)}`;
    sim.modem.injectSms({ from: '2936', text: long });
    expect(await command((c) => c.body === long)).toMatchObject({ parts: 3, partial: false });

    // A multipart message whose middle part never arrives: inject parts 1 and 3 only, as PDUs.
    const { encodeDeliver } = await import('../../src/sms/index.js');
    const parts = encodeDeliver({
      from: '2936',
      text: 'y'.repeat(400),
      timestamp: '2026-11-27T16:20:05+00:00',
      concatReference: 99,
    });
    sim.modem.injectSms({ pdu: parts[0]!.pdu });
    sim.modem.injectSms({ pdu: parts[2]!.pdu });
    const partial = await waitFor('the partial command', () => commands().find((c) => c.partial === true), 30_000);
    expect(partial).toMatchObject({ parts: 3, body: 'y'.repeat(153) + 'y'.repeat(400 - 306) });
  });

  it('rejects an SMS from an unknown sender: sms/rejected, never command/received, and gone from the SIM', async () => {
    sim.modem.injectSms({ from: '+491701234567', text: `${SID} reboot` });
    const rejected = await app.waitFor('sms/rejected', (m) => m.topic === 'e2e/sms/rejected', 15_000);
    expect(JSON.parse(rejected.text)).toMatchObject({ from: '+491701234567' });
    expect(commands().some((c) => c.from === '+491701234567')).toBe(false);
    await waitFor('SIM storage empty', () => sim.modem.storage().every((memory) => memory.used === 0));
  });

  it('sends a reply to 2936 and reports sent and delivered', async () => {
    await publisher.publishAsync('e2e/command/send', JSON.stringify({ body: 'valve 3 open', transaction: 'ok-1' }), {
      qos: 1,
    });
    await waitFor('delivered', () => statuses('ok-1').some((s) => s.status === 'delivered'), 15_000);
    const sent = sim.modem.sent().filter((sms) => sms.text === 'valve 3 open');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ destination: '2936', status_report_requested: true });
    expect(statuses('ok-1').map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('retries a reply after a transient +CMS ERROR: 500 and sends it once', async () => {
    sim.modem.setFaults({ sendError: { code: 500, count: 1 } });
    await publisher.publishAsync('e2e/command/send', JSON.stringify({ body: 'retry me', transaction: 'tr-1' }), {
      qos: 1,
    });
    await waitFor('sent after the retry', () => statuses('tr-1').some((s) => s.status === 'sent'), 20_000);
    expect(sim.modem.sent().filter((sms) => sms.text === 'retry me')).toHaveLength(1);
    // Its status report comes a moment later: wait for it here, so that it is not read during a later test (which
    // counts the status reports it sees).
    await waitFor('delivered', () => statuses('tr-1').some((s) => s.status === 'delivered'), 20_000);
  });

  it('fails a reply on a permanent +CMS ERROR: 304 with the modem code, without resending it', async () => {
    sim.modem.setFaults({ sendError: { code: 304, count: 1 } });
    await publisher.publishAsync('e2e/command/send', JSON.stringify({ body: 'bad pdu', transaction: 'pf-1' }), {
      qos: 1,
    });
    const failed = await waitFor('failed', () => statuses('pf-1').find((s) => s.status === 'failed'), 15_000);
    expect(failed.error).toMatchObject({ code: 'cms_304' });
    expect(sim.modem.sent().some((sms) => sms.text === 'bad pdu')).toBe(false);
  });
});

describe('m2m-bridge run end to end: timestamps the network garbled', () => {
  const warnings = () => daemon.lines.filter((line) => String(line.msg).startsWith('PDU decoded with an unreadable'));

  it('publishes a command whose SMSC timestamp has a bad BCD digit, with sent_at null, and logs it once', async () => {
    // "reboot now" from 2936 (README's example) with the time-zone octet 0x40 turned into 0xA0.
    sim.modem.injectSms({ pdu: '07911326040000F004048192630000621172610250A00AF2B2F8FDA683DCEF3B' });
    expect(await command((c) => c.body === 'reboot now')).toMatchObject({ from: '2936', sent_at: null });
    await waitFor('SIM storage empty', () => sim.modem.storage().every((memory) => memory.used === 0));
    expect(warnings()).toEqual([
      expect.objectContaining({
        type: 'SMS-DELIVER',
        warnings: ['timestamp at octet 21 (0xA0): bad BCD digit in the time zone; timestamp is null'],
      }),
    ]);
  });

  it('marks a reply delivered from a status report whose TP-DT has a bad BCD digit', async () => {
    sim.modem.setFaults({ badStatusReportTime: true });
    try {
      await publisher.publishAsync('e2e/command/send', JSON.stringify({ body: 'odd report', transaction: 'bt-1' }), {
        qos: 1,
      });
      await waitFor('delivered', () => statuses('bt-1').some((s) => s.status === 'delivered'), 15_000);
      expect(statuses('bt-1').map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
      const reports = warnings().filter((line) => line.type === 'SMS-STATUS-REPORT');
      expect(reports).toHaveLength(1);
      expect(reports[0]!.warnings).toEqual([expect.stringMatching(/^discharge_time at octet \d+ \(0xA\d\): bad BCD/)]);
    } finally {
      sim.modem.setFaults({ badStatusReportTime: false });
    }
  });
});
