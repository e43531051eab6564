import { describe, expect, test, vi } from 'vitest';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();

describe('vendor profiles over a pty', () => {
  test('quectel: RDY, +CPIN: READY, +QIND: SMS DONE / PB DONE at boot; ME storage; +CMTI names ME', async () => {
    const { serial, sim } = await start({ profile: 'quectel' });
    const before = serial.at.received.length;
    sim.modem.reboot();
    const boot = await serial.at.waitFor(/\+QIND: PB DONE\r\n/, 3000, before);
    expect(boot).toBe(
      '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QUSIM: 1\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n',
    );
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CPMS?')).toBe('\r\n+CPMS: "ME",0,100,"ME",0,100,"ME",0,100\r\n\r\nOK\r\n');
    expect(await serial.at.command('ATI')).toBe('\r\nQuectel\r\nEC25\r\nRevision: EC25EFAR06A06M4G\r\n\r\nOK\r\n');
  });

  test('quectel with a PIN: +CPIN: SIM PIN at boot and no SMS DONE until the PIN is entered', async () => {
    const { serial, sim } = await start({ profile: 'quectel', pin: '4321' });
    const before = serial.at.received.length;
    sim.modem.reboot();
    await serial.at.waitFor(/\+CPIN: SIM PIN\r\n/, 3000, before);
    await serial.at.command('ATE0');
    expect(serial.at.received.slice(before)).not.toContain('SMS DONE');
    await serial.at.command('AT+CPIN="4321"');
    await serial.at.waitFor(/\+QIND: SMS DONE\r\n/, 3000, before);
  });

  test('simcom: SMS commands get +CMS ERROR: 302 until "SMS Ready"', async () => {
    const { serial, sim } = await start({ profile: 'simcom', smsReadyDelayMs: 1000 });
    const before = serial.at.received.length;
    sim.modem.reboot();
    await serial.at.waitFor(/\+CPIN: READY\r\n/, 3000, before);
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CMGL=4')).toBe('\r\n+CMS ERROR: 302\r\n');
    expect(await serial.at.command('AT+CPMS?')).toBe('\r\n+CMS ERROR: 302\r\n');
    // Non-SMS commands work meanwhile.
    expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    await serial.at.waitFor(/Call Ready\r\n\r\nSMS Ready\r\n/, 3000, before);
    expect(await serial.at.command('AT+CMGL=4')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('ATI')).toBe('\r\nSIM800 R14.18\r\n\r\nOK\r\n');
  });

  test('huawei: ^RSSI arrives between response lines of every second response', async () => {
    const { serial } = await start({ profile: 'huawei' });
    await serial.at.command('ATE0');
    const answers = [await serial.at.command('AT+CSQ'), await serial.at.command('AT+CSQ')];
    expect(answers.filter((answer) => answer === '\r\n+CSQ: 20,99\r\n\r\n^RSSI: 20\r\n\r\nOK\r\n')).toHaveLength(1);
    expect(answers.filter((answer) => answer === '\r\n+CSQ: 20,99\r\n\r\nOK\r\n')).toHaveLength(1);
    const ati = await serial.at.command('ATI');
    expect(ati).toContain('Manufacturer: huawei');
    expect(ati).toContain('Model: E3131');
  });

  test('huawei: ^RSSI and ^NWTIME take turns between response lines', async () => {
    const { serial } = await start({ profile: 'huawei', simClock: { now: () => new Date('2026-03-01T08:09:10Z') } });
    await serial.at.command('ATE0');
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push(await serial.at.command('AT+CSQ'));
    const noise = answers.map((answer) => /^\r\n\+CSQ: 20,99\r\n(?:\r\n([^\r]+)\r\n)?\r\nOK\r\n$/.exec(answer)?.[1]);
    expect(noise.filter(Boolean)).toEqual(['^RSSI: 20', '^NWTIME: 26/03/01,08:09:10+00,00']);
  });

  test('huawei: ^SMMEMFULL when the message that fills the storage arrives, and again while it stays full', async () => {
    const { serial, sim } = await start({ profile: 'huawei', storage: { SM: 2 }, networkRetryMs: 60_000 });
    await serial.at.command('ATE0');
    const before = serial.at.received.length;
    sim.modem.injectSms({ from: '2936', text: 'one' });
    await serial.at.waitFor(/\+CMTI: "SM",1\r\n/, 3000, before);
    sim.modem.injectSms({ from: '2936', text: 'two' });
    await serial.at.waitFor(/\^SMMEMFULL: "SM"\r\n/, 3000, before);
    expect(serial.at.received.slice(before)).toBe('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n\r\n^SMMEMFULL: "SM"\r\n');
    const held = serial.at.received.length;
    expect(sim.modem.injectSms({ from: '2936', text: 'three' })[0]?.delivery).toMatchObject({ outcome: 'held' });
    expect(await serial.at.waitFor(/\^SMMEMFULL: "SM"\r\n/, 3000, held)).toBe('\r\n^SMMEMFULL: "SM"\r\n');
  });

  test('huawei: AT^CURC=0 stops the URCs between response lines (what gammu sends first)', async () => {
    const { serial } = await start({ profile: 'huawei' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT^CURC?')).toBe('\r\n^CURC: 1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT^CURC=0')).toBe('\r\nOK\r\n');
    for (let i = 0; i < 3; i++) expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT^PORTSEL=1')).toBe('\r\nOK\r\n');
  });

  test('huawei: ^SIMST at boot and ^NWTIME once the network is there', async () => {
    const { serial, sim } = await start({ profile: 'huawei' });
    const before = serial.at.received.length;
    sim.modem.reboot();
    expect(await serial.at.waitFor(/\^NWTIME: [^\r]+\r\n/, 3000, before)).toMatch(/\^SIMST: 1\r\n[\s\S]*\^NWTIME/);
  });

  test('quectel: +QIND: "smsfull","ME" once the last slot is taken; generic says nothing', async () => {
    const { serial, sim } = await start({ profile: 'quectel', storage: { ME: 2 }, networkRetryMs: 60_000 });
    await serial.at.command('ATE0');
    const before = serial.at.received.length;
    sim.modem.injectSms({ from: '2936', text: 'one' });
    sim.modem.injectSms({ from: '2936', text: 'two' });
    expect(await serial.at.waitFor(/smsfull/, 3000, before)).toBe(
      '\r\n+CMTI: "ME",1\r\n\r\n+CMTI: "ME",2\r\n\r\n+QIND: "smsfull","ME"\r\n',
    );
    const generic = await start({ profile: 'generic', storage: { SM: 1 }, networkRetryMs: 60_000 });
    await generic.serial.at.command('ATE0');
    const from = generic.serial.at.received.length;
    generic.sim.modem.injectSms({ from: '2936', text: 'one' });
    generic.sim.modem.injectSms({ from: '2936', text: 'two' });
    await generic.serial.at.waitFor(/\+CMTI: "SM",1\r\n/, 3000, from);
    expect(await generic.serial.at.command('AT')).toBe('\r\nOK\r\n');
    expect(generic.serial.at.received.slice(from)).toBe('\r\n+CMTI: "SM",1\r\n\r\nOK\r\n');
  });

  test("ublox: AT+CFUN=16 (the driver's reset rung) is a reset: OK, then the modem boots again; Quectel refuses it", async () => {
    const { serial, sim } = await start({ profile: 'ublox' });
    await serial.at.command('ATE0;+CMGF=1');
    expect(await serial.at.command('AT+CFUN=?')).toBe('\r\n+CFUN: (0,1,4,15,16),(0,1)\r\n\r\nOK\r\n');
    let boots = 0;
    sim.modem.on('boot', () => boots++);
    expect(await serial.at.command('AT+CFUN=16')).toBe('\r\nOK\r\n');
    await vi.waitFor(() => expect(boots).toBe(1));
    await sim.modem.whenReady();
    // Settings are back to their power-on values: echo on, PDU mode.
    expect(await serial.at.command('AT+CMGF?')).toBe('AT+CMGF?\r\r\n+CMGF: 0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CFUN?')).toBe('AT+CFUN?\r\r\n+CFUN: 1\r\n\r\nOK\r\n');
    const quectel = await start({ profile: 'quectel' });
    await quectel.serial.at.command('ATE0;+CMEE=1');
    expect(await quectel.serial.at.command('AT+CFUN=16')).toBe('\r\n+CME ERROR: 50\r\n');
  });

  test('ublox: identity and +CCID form of the SARA-R4', async () => {
    const { serial } = await start({ profile: 'ublox', iccid: '89882280666001234567' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CGMI')).toBe('\r\nu-blox\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGMM')).toBe('\r\nSARA-R410M-02B\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CCID')).toBe('\r\n+CCID: 89882280666001234567\r\n\r\nOK\r\n');
  });
});
