import { describe, expect, test } from 'vitest';
import { decodePdu, encodeSubmit } from '../../../src/sms/index.js';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();

function submit(text: string, statusReport = false) {
  const [part] = encodeSubmit({ to: '2936', text, statusReport });
  return part!;
}

describe('reading and deleting stored SMS over a pty', () => {
  test('+CMGL in PDU mode by <stat>: unread become read once listed, 4 lists all', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CNMI=2,0');
    sim.modem.injectSms({ from: '2936', text: 'first' });
    sim.modem.injectSms({ from: '2936', text: 'second' });
    const unread = await serial.at.command('AT+CMGL=0');
    const entries = [...unread.matchAll(/\+CMGL: (\d+),(\d),,(\d+)\r\n([0-9A-F]+)\r\n/g)];
    expect(entries.map((entry) => [entry[1], entry[2]])).toEqual([
      ['1', '0'],
      ['2', '0'],
    ]);
    expect(entries.map((entry) => decodePdu(entry[4]!, { tpduLength: Number(entry[3]) }).text)).toEqual([
      'first',
      'second',
    ]);
    expect(await serial.at.command('AT+CMGL=0')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGL=1')).toMatch(/^\r\n\+CMGL: 1,1,,\d+\r\n[0-9A-F]+\r\n\+CMGL: 2,1,,/);
    expect(await serial.at.command('AT+CMGL=2')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGL=3')).toBe('\r\nOK\r\n');
    expect((await serial.at.command('AT+CMGL=4')).match(/\+CMGL:/g)).toHaveLength(2);
    expect(await serial.at.command('AT+CMGL=?')).toBe('\r\n+CMGL: (0-4)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGL=9')).toBe('\r\n+CMS ERROR: 302\r\n');
  });

  test('+CMGL and +CMGR in text mode, with +CSDH=1 headers', async () => {
    const { serial, sim } = await start({ simClock: { now: () => new Date('2026-03-01T08:00:00Z') } });
    await serial.at.command('ATE0;+CNMI=2,0;+CMGF=1');
    sim.modem.injectSms({ from: '+15005550006', text: 'hi there' });
    expect(await serial.at.command('AT+CMGL="ALL"')).toBe(
      '\r\n+CMGL: 1,"REC UNREAD","+15005550006",,"26/03/01,08:00:00+00"\r\nhi there\r\n\r\nOK\r\n',
    );
    expect(await serial.at.command('AT+CMGL="REC UNREAD"')).toBe('\r\nOK\r\n');
    await serial.at.command('AT+CSDH=1');
    expect(await serial.at.command('AT+CMGR=1')).toBe(
      '\r\n+CMGR: "REC READ","+15005550006",,"26/03/01,08:00:00+00",145,4,0,0,"+12063130004",145,8\r\nhi there\r\n\r\nOK\r\n',
    );
    expect(await serial.at.command('AT+CMGL=?')).toContain('"REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL"');
  });

  test('+CMGR in PDU mode; empty and out-of-range slots', async () => {
    const { serial, sim } = await start({ storage: { SM: 5 } });
    await serial.at.command('ATE0;+CNMI=2,0');
    const [part] = sim.modem.injectSms({ from: '2936', text: 'read me' });
    expect(await serial.at.command('AT+CMGR=1')).toBe(
      `\r\n+CMGR: 0,,${part!.tpdu_length}\r\n${part!.pdu}\r\n\r\nOK\r\n`,
    );
    expect(await serial.at.command('AT+CMGR=1')).toMatch(/^\r\n\+CMGR: 1,,/);
    expect(await serial.at.command('AT+CMGR=2')).toBe('\r\n+CMS ERROR: 321\r\n');
    expect(await serial.at.command('AT+CMGR=6')).toBe('\r\n+CMS ERROR: 321\r\n');
    const simcom = await start({ profile: 'simcom' });
    await simcom.serial.at.command('ATE0');
    // SIM800 answers an empty slot with a bare OK.
    expect(await simcom.serial.at.command('AT+CMGR=3')).toBe('\r\nOK\r\n');
  });

  test('+CMGD by index and with each <delflag>', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CNMI=2,0');
    for (const text of ['a', 'b', 'c', 'd']) sim.modem.injectSms({ from: '2936', text });
    await serial.at.command('AT+CMGR=1'); // read
    await serial.at.command('AT+CMGR=2'); // read
    expect(await serial.at.command('AT+CMGD=?')).toBe('\r\n+CMGD: (1,2,3,4),(0-4)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGD=4')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGD=4')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGD=99')).toBe('\r\n+CMS ERROR: 321\r\n');
    expect(await serial.at.command('AT+CMGD=0,1')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGD=?')).toBe('\r\n+CMGD: (3),(0-4)\r\n\r\nOK\r\n');
    // A stored unsent and a stored sent message, then delflags 2, 3 and 4.
    const unsent = submit('draft');
    await serial.at.send(`AT+CMGW=${unsent.tpdu_length}`, unsent.pdu);
    await serial.at.send(`AT+CMGW=${unsent.tpdu_length},3`, unsent.pdu);
    await serial.at.command('AT+CMGD=1,2');
    expect(await serial.at.command('AT+CMGD=?')).toBe('\r\n+CMGD: (1,3),(0-4)\r\n\r\nOK\r\n');
    await serial.at.command('AT+CMGD=1,3');
    expect(await serial.at.command('AT+CMGD=?')).toBe('\r\n+CMGD: (3),(0-4)\r\n\r\nOK\r\n');
    await serial.at.command('AT+CMGD=1,4');
    expect(await serial.at.command('AT+CMGD=?')).toBe('\r\n+CMGD: (),(0-4)\r\n\r\nOK\r\n');
  });
});

describe('sending SMS over a pty', () => {
  test('+CMGS prompt is exactly CR LF "> " and Ctrl-Z sends with the assigned TP-MR', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    const part = submit('hello cloud');
    const before = serial.at.received.length;
    serial.port.write(`AT+CMGS=${part.tpdu_length}\r`);
    await serial.at.waitFor(/> $/, 3000, before);
    expect(serial.at.received.slice(before)).toBe('\r\n> ');
    serial.port.write(`${part.pdu}\x1a`);
    expect(await serial.at.waitFor(/OK\r\n$/, 3000, before)).toBe('\r\n> \r\n+CMGS: 0\r\n\r\nOK\r\n');
    expect(await serial.at.send(`AT+CMGS=${part.tpdu_length}`, part.pdu)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    const sent = sim.modem.sent();
    expect(sent.map((sms) => [sms.message_reference, sms.destination, sms.text])).toEqual([
      [0, '2936', 'hello cloud'],
      [1, '2936', 'hello cloud'],
    ]);
  });

  test('a PDU typed ahead of the prompt, in the same write, is still taken', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    const part = submit('typed ahead');
    const before = serial.at.received.length;
    serial.port.write(`AT+CMGS=${part.tpdu_length}\r${part.pdu}\x1aAT+CMGF?\r`);
    expect(await serial.at.waitFor(/\+CMGF: 0\r\n\r\nOK\r\n$/, 3000, before)).toBe(
      '\r\n> \r\n+CMGS: 0\r\n\r\nOK\r\n\r\n+CMGF: 0\r\n\r\nOK\r\n',
    );
    expect(sim.modem.sent()[0]?.text).toBe('typed ahead');
  });

  test('an over-long prompt text is refused with +CMS ERROR: 304', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    expect(await serial.at.send('AT+CMGS=20', 'A'.repeat(5000))).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(sim.modem.sent()).toEqual([]);
  });

  test('ESC cancels the prompt: OK and nothing is sent', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    const before = serial.at.received.length;
    serial.port.write('AT+CMGS=20\r');
    await serial.at.waitFor(/> $/, 3000, before);
    serial.port.write('0011000481392600\x1b');
    expect(await serial.at.waitFor(/OK\r\n$/, 3000, before)).toBe('\r\n> \r\nOK\r\n');
    expect(sim.modem.sent()).toEqual([]);
  });

  test('a PDU whose length disagrees with <n>, or is not hex, gets +CMS ERROR: 304', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    const part = submit('length check');
    expect(await serial.at.send(`AT+CMGS=${part.tpdu_length + 1}`, part.pdu)).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(await serial.at.send(`AT+CMGS=${part.tpdu_length}`, 'ZZ11')).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(await serial.at.send('AT+CMGS=10', '0007912160130300F4')).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(sim.modem.sent()).toEqual([]);
  });

  test('echo on: the PDU typed after the prompt is echoed, as real modems do', async () => {
    const { serial } = await start();
    const part = submit('echoed');
    expect(await serial.at.send(`AT+CMGS=${part.tpdu_length}`, part.pdu)).toBe(`${part.pdu}\r\n+CMGS: 0\r\n\r\nOK\r\n`);
  });

  test('text mode +CMGS sends the typed text', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CMGF=1');
    expect(await serial.at.send('AT+CMGS="2936"', 'text mode reply')).toBe('\r\n+CMGS: 0\r\n\r\nOK\r\n');
    expect(sim.modem.sent()[0]).toMatchObject({ destination: '2936', text: 'text mode reply' });
    expect(await serial.at.command('AT+CMGS="not-a-number"')).toBe('\r\n+CMS ERROR: 305\r\n');
  });

  test('text mode under +CSCS="UCS2": address and text as UCS-2 hex, both ways', async () => {
    const { serial, sim } = await start({ simClock: { now: () => new Date('2026-03-01T08:00:00Z') } });
    await serial.at.command('ATE0;+CMGF=1;+CSCS="UCS2";+CNMI=2,0');
    expect(await serial.at.send('AT+CMGS="0032003900330036"', '04220435044104420020D83DDC4B')).toBe(
      '\r\n+CMGS: 0\r\n\r\nOK\r\n',
    );
    expect(sim.modem.sent()[0]).toMatchObject({ destination: '2936', text: 'Тест 👋', encoding: 'ucs2' });
    expect(await serial.at.send('AT+CMGS="0032003900330036"', '0422XYZ')).toBe('\r\n+CMS ERROR: 305\r\n');
    sim.modem.injectSms({ from: '2936', text: 'Да' });
    expect(await serial.at.command('AT+CMGL="ALL"')).toContain('\r\n04140430\r\n');
  });

  test('text mode under +CSCS="GSM" writes GSM 7-bit bytes; IRA and 8859-1 substitute ?; UCS-2 messages are hex', async () => {
    const { serial, sim } = await start({ simClock: { now: () => new Date('2026-03-01T08:00:00Z') } });
    await serial.at.command('ATE0;+CMGF=1;+CNMI=2,0');
    sim.modem.injectSms({ from: '2936', text: 'prix 5€ é [x] @$_' });
    const body = async () => {
      const answer = await serial.at.command('AT+CMGR=1');
      return /^\r\n\+CMGR: [^\r]*\r\n([^\r]*)\r\n\r\nOK\r\n$/.exec(answer)?.[1];
    };
    // TS 23.038 §6.2.1: € is ESC 0x65, é 0x05, [ ESC 0x3C, ] ESC 0x3E, @ 0x00, $ 0x02, _ 0x11.
    expect(await body()).toBe('prix 5\x1b\x65 \x05 \x1b\x3cx\x1b\x3e \x00\x02\x11');
    await serial.at.command('AT+CSCS="IRA"');
    expect(await body()).toBe('prix 5? ? [x] @$_');
    await serial.at.command('AT+CSCS="8859-1"');
    expect(await body()).toBe('prix 5? é [x] @$_');
    await serial.at.command('AT+CSCS="HEX"');
    expect(await body()).toBe('7072697820351B652005201B3C781B3E20000211');
    // A UCS-2 coded message is hex in text mode whatever +CSCS says (TS 27.005 §3.1 <data>).
    sim.modem.injectSms({ from: '2936', text: 'Привет 👋' });
    await serial.at.command('AT+CSCS="GSM"');
    expect(await serial.at.command('AT+CMGR=2')).toContain('\r\n041F044004380432043504420020D83DDC4B\r\n');
  });

  test('+CMGW stores, +CMSS sends from storage (to the stored or another number)', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    const part = submit('stored reply');
    expect(await serial.at.send(`AT+CMGW=${part.tpdu_length}`, part.pdu)).toBe('\r\n+CMGW: 1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGL=2')).toMatch(/^\r\n\+CMGL: 1,2,,/);
    expect(await serial.at.command('AT+CMSS=1')).toBe('\r\n+CMSS: 0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMGL=3')).toMatch(/^\r\n\+CMGL: 1,3,,/);
    expect(await serial.at.command('AT+CMSS=1,"+15005550006"')).toBe('\r\n+CMSS: 1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMSS=9')).toBe('\r\n+CMS ERROR: 321\r\n');
    expect(sim.modem.sent().map((sms) => [sms.destination, sms.text])).toEqual([
      ['2936', 'stored reply'],
      ['+15005550006', 'stored reply'],
    ]);
  });

  test('status reports: +CDS with ds=1, stored in SR with +CDSI for ds=2', async () => {
    const { serial, sim } = await start({ statusReportDelayMs: 10 });
    await serial.at.command('ATE0;+CNMI=2,1,0,1,0');
    const part = submit('report please', true);
    const before = serial.at.received.length;
    expect(await serial.at.send(`AT+CMGS=${part.tpdu_length}`, part.pdu)).toBe('\r\n+CMGS: 0\r\n\r\nOK\r\n');
    const cds = /\+CDS: (\d+)\r\n([0-9A-F]+)\r\n/.exec(
      await serial.at.waitFor(/\+CDS: \d+\r\n[0-9A-F]+\r\n/, 3000, before),
    )!;
    expect(decodePdu(cds[2]!, { tpduLength: Number(cds[1]) })).toMatchObject({
      type: 'SMS-STATUS-REPORT',
      message_reference: 0,
      recipient: '2936',
      delivery_status: 'delivered',
    });
    await serial.at.command('AT+CNMI=2,1,0,2,0');
    sim.modem.setFaults({ deliveryOutcome: 'failed' });
    const again = serial.at.received.length;
    await serial.at.send(`AT+CMGS=${part.tpdu_length}`, part.pdu);
    await serial.at.waitFor(/\+CDSI: "SR",1\r\n/, 3000, again);
    await serial.at.command('AT+CPMS="SR"');
    const stored = /\+CMGR: 0,,(\d+)\r\n([0-9A-F]+)\r\n/.exec(await serial.at.command('AT+CMGR=1'))!;
    expect(decodePdu(stored[2]!, { tpduLength: Number(stored[1]) })).toMatchObject({
      message_reference: 1,
      delivery_status: 'failed',
    });
  });
});
