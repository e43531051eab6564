import { describe, expect, test } from 'vitest';
import { decodePdu, encodeSubmit } from '../../../src/sms/index.js';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();

describe('SMS configuration commands over a pty', () => {
  test('+CMGF, +CSMS, +CSCA, +CSDH: read, test, set', async () => {
    const { serial } = await start({ smsc: '+447785016005' });
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CMGF?')).toBe('\r\n+CMGF: 0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGF=?')).toBe('\r\n+CMGF: (0,1)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGF=2')).toBe('\r\n+CME ERROR: 50\r\n');
    expect(await serial.at.command('AT+CSMS?')).toBe('\r\n+CSMS: 0,1,1,1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSMS=1')).toBe('\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSMS=?')).toBe('\r\n+CSMS: (0,1)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSCA?')).toBe('\r\n+CSCA: "+447785016005",145\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSCA="+12063130004",145')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CSCA?')).toBe('\r\n+CSCA: "+12063130004",145\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSDH=1')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CSDH?')).toBe('\r\n+CSDH: 1\r\n\r\nOK\r\n');
  });

  test('+CSCA="" clears the SMS centre; a send whose PDU names none then fails with +CMS ERROR: 330', async () => {
    const { serial } = await start({ smsc: '+447785016005' });
    await serial.at.command('ATE0;+CMEE=1;+CMGF=0');
    expect(await serial.at.command('AT+CSCA=""')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CSCA?')).toBe('\r\n+CSCA: "",129\r\n\r\nOK\r\n');
    const [part] = encodeSubmit({ to: '2936', text: 'no centre' });
    expect(await serial.at.send(`AT+CMGS=${part!.tpdu_length}`, part!.pdu)).toBe('\r\n+CMS ERROR: 330\r\n');
    expect(await serial.at.command('AT+CSCA="+12063130004"')).toBe('\r\nOK\r\n');
    expect(await serial.at.send(`AT+CMGS=${part!.tpdu_length}`, part!.pdu)).toMatch(/\+CMGS: \d+\r\n\r\nOK\r\n$/);
  });

  test('+CPMS test, read and set, with the configured capacities', async () => {
    const { serial, sim } = await start({ storage: { SM: 3, ME: 5 } });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CPMS=?')).toBe(
      '\r\n+CPMS: ("SM","ME","MT","SR"),("SM","ME","MT"),("SM","ME","MT")\r\n\r\nOK\r\n',
    );
    sim.modem.injectSms({ from: '2936', text: 'one' });
    await serial.at.waitFor(/\+CMTI: "SM",1\r\n/);
    expect(await serial.at.command('AT+CPMS?')).toBe('\r\n+CPMS: "SM",1,3,"SM",1,3,"SM",1,3\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPMS="ME","ME","ME"')).toBe('\r\n+CPMS: 0,5,0,5,0,5\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPMS="MT","SM","MT"')).toBe('\r\n+CPMS: 1,8,1,3,1,8\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPMS="SR"')).toBe('\r\n+CPMS: 0,20,1,3,1,8\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPMS="XX"')).toBe('\r\n+CMS ERROR: 302\r\n');
    expect(await serial.at.command('AT+CPMS="SM","SR"')).toBe('\r\n+CMS ERROR: 302\r\n');
  });

  test('+CNMI=2,1 announces stored messages with +CMTI in <mem3>', async () => {
    const { serial, sim } = await start({ profile: 'quectel' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CNMI?')).toBe('\r\n+CNMI: 2,1,0,0,0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CNMI=?')).toBe('\r\n+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)\r\n\r\nOK\r\n');
    const before = serial.at.received.length;
    sim.modem.injectSms({ from: '2936', text: 'ping' });
    expect(await serial.at.waitFor(/\+CMTI/, 3000, before)).toBe('\r\n+CMTI: "ME",1\r\n');
    await serial.at.command('AT+CNMI=0,0,0,0,0');
    const quiet = serial.at.received.length;
    sim.modem.injectSms({ from: '2936', text: 'silent' });
    // Stored without indication: the next command's answer is all that arrives.
    expect(await serial.at.command('AT+CPMS?')).toContain('"ME",2,100');
    expect(serial.at.received.slice(quiet)).not.toContain('+CMTI');
  });

  test('+CNMI=2,2 with +CSMS=1 routes +CMT and wants +CNMA; a second +CNMA is 340', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CSMS=1;+CNMI=2,2,0,0,0');
    const before = serial.at.received.length;
    const [part] = sim.modem.injectSms({ from: '2936', text: 'direct' });
    expect(part?.delivery).toEqual({ outcome: 'routed' });
    const urc = await serial.at.waitFor(/\+CMT: ,\d+\r\n[0-9A-F]+\r\n/, 3000, before);
    const pdu = /\+CMT: ,(\d+)\r\n([0-9A-F]+)\r\n/.exec(urc)!;
    expect(decodePdu(pdu[2]!, { tpduLength: Number(pdu[1]) })).toMatchObject({ originator: '2936', text: 'direct' });
    expect(await serial.at.command('AT+CNMA')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CNMA')).toBe('\r\n+CMS ERROR: 340\r\n');
    expect(sim.modem.storage().every((memory) => memory.used === 0)).toBe(true);
  });

  test('an unacknowledged +CMT turns routing off and the network redelivers into storage', async () => {
    const { serial, sim } = await start({ cnmaTimeoutMs: 100, networkRetryMs: 20 });
    await serial.at.command('ATE0;+CSMS=1;+CNMI=2,2,0,0,0');
    const before = serial.at.received.length;
    sim.modem.injectSms({ from: '2936', text: 'lost ack' });
    await serial.at.waitFor(/\+CMT: /, 3000, before);
    const stored = new Promise((resolve) => sim.modem.once('stored', resolve));
    await stored;
    expect(await serial.at.command('AT+CNMI?')).toBe('\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n');
    expect(sim.modem.storage().find((memory) => memory.memory === 'SM')?.used).toBe(1);
  });

  test('+CNMI text mode +CMT shows the sender, time stamp and text', async () => {
    const { serial, sim } = await start({ simClock: { now: () => new Date('2026-03-01T12:34:56Z') } });
    await serial.at.command('ATE0;+CMGF=1;+CNMI=2,2,0,0,0');
    const before = serial.at.received.length;
    sim.modem.injectSms({ from: '+447700900123', text: 'text mode hello' });
    expect(await serial.at.waitFor(/hello\r\n/, 3000, before)).toBe(
      '\r\n+CMT: "+447700900123",,"26/03/01,12:34:56+00"\r\ntext mode hello\r\n',
    );
  });
});
