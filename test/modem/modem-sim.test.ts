import { afterEach, describe, expect, it } from 'vitest';
import { serialTransport } from '../../src/at/serial-transport.js';
import { encodeSubmit } from '../../src/sms/index.js';
import { waitFor } from '../helpers/wait.js';
import { type Rig, startRig, waitForDrained, waitForState } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Modem against the simulator over a real pty', () => {
  it('initialises a Quectel EC25: identity, ME storage, ready', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    const status = rig.modem.status();
    expect(status.profile).toBe('quectel');
    expect(status.identity.manufacturer).toBe('Quectel');
    expect(status.identity.model).toBe('EC25');
    expect(status.identity.imei).toMatch(/^\d{15}$/);
    expect(status.identity.iccid).toMatch(/^\d{18,20}$/);
    expect(status.storage.memory).toBe('ME');
    expect(status.network.registration).toMatch(/home|roaming/);
    expect(status.network.signal.rssi_dbm).toBeTypeOf('number');
    const settings = rig.sim.modem.state().settings;
    expect(settings.cmgf).toBe(0);
    expect(settings.cnmi[1]).toBe(1);
  });

  it('receives an SMS announced by +CMTI, hands it over decoded, then deletes it', async () => {
    rig = await startRig({ profile: 'simcom' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.injectSms({ from: '2936', text: 'hello from the cloud' });
    await waitForDrained(rig, 1);
    expect(rig.consumer.texts()).toEqual(['hello from the cloud']);
    const msg = rig.consumer.accepted[0]!;
    expect(msg).toMatchObject({ source: 'storage', decode_error: null });
    expect(msg.decoded).toMatchObject({ type: 'SMS-DELIVER', originator: '2936' });
  });

  it('sweeps messages stored before it started, each exactly once', async () => {
    rig = await startRig({ profile: 'huawei' }, {}, (sim) => {
      for (let i = 0; i < 5; i++) sim.modem.injectSms({ from: '+15550001', text: `stored ${i}` });
    });
    await waitForDrained(rig, 5);
    expect(rig.consumer.texts().sort()).toEqual(['stored 0', 'stored 1', 'stored 2', 'stored 3', 'stored 4']);
  });

  it('deletes only after the consumer made the message durable; a failing consumer keeps it on the modem', async () => {
    rig = await startRig({ profile: 'generic' });
    await waitForState(rig.modem, 'ready');
    let open!: () => void;
    rig.consumer.gate = new Promise((r) => {
      open = r;
    });
    rig.sim.modem.injectSms({ from: '2936', text: 'durable first' });
    await waitFor('the message at the consumer', () => rig!.consumer.entered === 1);
    expect(rig.sim.modem.storage().reduce((n, s) => n + s.used, 0)).toBe(1);
    rig.consumer.failNext = 1;
    open();
    rig.consumer.gate = undefined;
    await waitForDrained(rig, 1);
    expect(rig.consumer.texts()).toEqual(['durable first']);
  });

  it('sends parts with +CMGS and returns message references; +CMS errors are classified', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    const parts = encodeSubmit({ to: '2936', text: 'reply from the device' });
    const res = await rig.modem.send(parts);
    expect(res.message_references).toHaveLength(1);
    expect(rig.sim.modem.sent().map((s) => s.text)).toContain('reply from the device');

    rig.sim.modem.setFaults({ sendError: { code: 500, count: 1 } });
    await expect(rig.modem.send(parts)).rejects.toMatchObject({
      classification: 'transient',
      code: 500,
      maybe_sent: false,
    });
    rig.sim.modem.setFaults({ sendError: { code: 304, count: 1 } });
    await expect(rig.modem.send(parts)).rejects.toMatchObject({ classification: 'permanent', code: 304 });
    await expect(rig.modem.send([{ pdu: 'AT+CFUN=0', tpdu_length: 4 }])).rejects.toMatchObject({
      classification: 'permanent',
    });
    expect((await rig.modem.send(parts)).message_references).toHaveLength(1);
  });

  it('puts the modem back in PDU mode before sending, even if something switched it to text mode', async () => {
    rig = await startRig({ profile: 'simcom' });
    await waitForState(rig.modem, 'ready');
    const other = rig.sim.modem.connect();
    other.write('AT+CMGF=1\r');
    await waitFor('text mode set behind the driver', () => rig!.sim.modem.state().settings.cmgf === 1);
    other.destroy();
    await rig.modem.send(encodeSubmit({ to: '2936', text: 'still a PDU' }));
    expect(rig.sim.modem.sent().map((s) => s.text)).toEqual(['still a PDU']);
  });

  it('notices a modem that forgot PDU mode while receiving, re-initialises, and still reads the message once', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    const other = rig.sim.modem.connect();
    other.write('AT+CMGF=1\r');
    await waitFor('text mode set behind the driver', () => rig!.sim.modem.state().settings.cmgf === 1);
    other.destroy();
    rig.sim.modem.injectSms({ from: '2936', text: 'read me in PDU mode' });
    await waitForDrained(rig, 1);
    expect(rig.consumer.texts()).toEqual(['read me in PDU mode']);
    expect(rig.sim.modem.state().settings.cmgf).toBe(0);
  });

  it('stop() ends in disconnected and releases the port for the next user', async () => {
    rig = await startRig({ profile: 'generic' });
    await waitForState(rig.modem, 'ready');
    await rig.modem.stop();
    expect(rig.modem.state).toBe('disconnected');
    const again = serialTransport(rig.sim.path);
    await again.open();
    await again.close();
  });
});

describe('status reports', () => {
  it('a report for a sent message arrives (stored, +CDSI or +CDS), is handed over with its reference, and removed', async () => {
    rig = await startRig({ profile: 'quectel', statusReportDelayMs: 50 });
    await waitForState(rig.modem, 'ready');
    const { message_references } = await rig.modem.send(
      encodeSubmit({ to: '2936', text: 'report me', statusReport: true }),
    );
    await waitForDrained(rig, 1);
    const report = rig.consumer.accepted[0]!;
    expect(report.decoded).toMatchObject({
      type: 'SMS-STATUS-REPORT',
      message_reference: message_references[0],
      delivery_status: 'delivered',
    });
  });
});
