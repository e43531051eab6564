import { describe, expect, test } from 'vitest';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();

describe('V.250 basics over a pty', () => {
  test('echo is on after boot and ATE0 turns it off', async () => {
    const { serial } = await start();
    expect(await serial.at.command('AT')).toBe('AT\r\r\nOK\r\n');
    expect(await serial.at.command('ATE0')).toBe('ATE0\r\r\nOK\r\n');
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('ATE1')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('at')).toBe('at\r\r\nOK\r\n');
  });

  test('ATV0 gives numeric result codes, ATQ1 none, ATZ restores', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0');
    serial.port.write('ATV0\r');
    await serial.at.waitFor(/0\r$/);
    const before = serial.at.received.length;
    serial.port.write('AT+BOGUS\r');
    await serial.at.waitFor(/4\r$/, 3000, before);
    serial.port.write('ATZ\r');
    expect(await serial.at.waitFor(/\r\nOK\r\n$/, 3000, serial.at.received.length)).toBe('\r\nOK\r\n');
  });

  test('ATQ1 suppresses result codes; S-registers, &F and +GCAP answer like V.250 says', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0');
    const before = serial.at.received.length;
    serial.port.write('ATQ1\r');
    serial.port.write('AT+CGMI\r');
    await serial.at.waitFor(/m2m-bridge\r\n$/, 3000, before);
    expect(await serial.at.command('ATQ0')).toBe('\r\nOK\r\n');
    expect(serial.at.received.slice(before)).toBe('\r\nm2m-bridge\r\n\r\nOK\r\n');
    expect(await serial.at.command('ATS3?')).toBe('\r\n013\r\n\r\nOK\r\n');
    expect(await serial.at.command('ATS7=90')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('ATS7?')).toBe('\r\n090\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT&F')).toBe('\r\nOK\r\n');
    // Factory defaults: echo is back on.
    expect(await serial.at.command('AT+GCAP')).toBe('AT+GCAP\r\r\n+GCAP: +CGSM\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT&C1&D2')).toBe('AT&C1&D2\r\r\nOK\r\n');
  });

  test('ATI, +CGMI/+CGMM/+CGMR/+CGSN/+CIMI report the configured identity', async () => {
    const { serial } = await start({ imei: '490154203237518', imsi: '234150999999999' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('ATI')).toBe('\r\nm2m-bridge\r\nSimulated Modem\r\nRevision: SIM-1.0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGMI')).toBe('\r\nm2m-bridge\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGMM')).toBe('\r\nSimulated Modem\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGMR')).toBe('\r\nSIM-1.0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGSN')).toBe('\r\n490154203237518\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CIMI')).toBe('\r\n234150999999999\r\n\r\nOK\r\n');
  });

  test('+CCID and the vendor forms answer the ICCID', async () => {
    const generic = await start({ iccid: '8944500102198304826' });
    await generic.serial.at.command('ATE0');
    expect(await generic.serial.at.command('AT+CCID')).toBe('\r\n+CCID: 8944500102198304826\r\n\r\nOK\r\n');
    expect(await generic.serial.at.command('AT+ICCID')).toBe('\r\n+ICCID: 8944500102198304826\r\n\r\nOK\r\n');
    const quectel = await start({ profile: 'quectel', iccid: '8944500102198304826' });
    await quectel.serial.at.command('ATE0');
    expect(await quectel.serial.at.command('AT+QCCID')).toBe('\r\n+QCCID: 8944500102198304826\r\n\r\nOK\r\n');
    const simcom = await start({ profile: 'simcom', iccid: '8944500102198304826' });
    await simcom.serial.at.command('ATE0');
    expect(await simcom.serial.at.command('AT+CCID')).toBe('\r\n8944500102198304826\r\n\r\nOK\r\n');
    expect(await simcom.serial.at.command('AT+CICCID')).toBe('\r\n+ICCID: 8944500102198304826\r\n\r\nOK\r\n');
    const huawei = await start({ profile: 'huawei', iccid: '8944500102198304826' });
    await huawei.serial.at.command('ATE0');
    expect(await huawei.serial.at.command('AT^ICCID?')).toContain('^ICCID: 8944500102198304826');
  });

  test('the ICCID is on the card: +CCID and +QCCID answer while the SIM wants its PIN or PUK, +CIMI does not', async () => {
    const { serial } = await start({ profile: 'quectel', pin: '1234', iccid: '8944500102198304826' });
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+QCCID')).toBe('\r\n+QCCID: 8944500102198304826\r\n\r\nOK\r\n');
    expect(await serial.at.command('at+ccid')).toBe('\r\n+CCID: 8944500102198304826\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CIMI')).toBe('\r\n+CME ERROR: 11\r\n');
    for (const wrong of ['1111', '2222', '3333']) await serial.at.command(`AT+CPIN=${wrong}`);
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+QCCID')).toBe('\r\n+QCCID: 8944500102198304826\r\n\r\nOK\r\n');
  });

  test('+CMEE 0/1/2 decides how errors read', async () => {
    const { serial } = await start({ pin: '1234' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CIMI')).toBe('\r\nERROR\r\n');
    await serial.at.command('AT+CMEE=1');
    expect(await serial.at.command('AT+CIMI')).toBe('\r\n+CME ERROR: 11\r\n');
    await serial.at.command('AT+CMEE=2');
    expect(await serial.at.command('AT+CIMI')).toBe('\r\n+CME ERROR: SIM PIN required\r\n');
    expect(await serial.at.command('AT+CMEE?')).toBe('\r\n+CMEE: 2\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CMEE=?')).toBe('\r\n+CMEE: (0-2)\r\n\r\nOK\r\n');
  });

  test('+CPIN: locked SIM, wrong PIN counts down, right PIN unlocks and SMS becomes ready', async () => {
    const { serial, sim } = await start({ pin: '1234' });
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPMS?')).toBe('\r\n+CMS ERROR: 311\r\n');
    expect(await serial.at.command('AT+CPIN="0000"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(await serial.at.command('AT+CPIN="1234"')).toBe('\r\nOK\r\n');
    await serial.at.waitFor(/\+CPIN: READY\r\n/);
    await sim.modem.whenReady();
    expect(await serial.at.command('AT+CPIN?')).toContain('+CPIN: READY');
    expect(sim.modem.state().sim).toBe('ready');
  });

  test('three wrong PINs leave the SIM waiting for the PUK', async () => {
    const { serial, sim } = await start({ pin: '1234' });
    await serial.at.command('ATE0;+CMEE=1');
    await serial.at.command('AT+CPIN=1111');
    await serial.at.command('AT+CPIN=2222');
    expect(await serial.at.command('AT+CPIN=3333')).toBe('\r\n+CME ERROR: 12\r\n');
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n');
    expect(sim.modem.state().sim).toBe('puk_required');
  });

  test('+CFUN: read, test, radio off deregisters, CFUN=1,1 restarts with boot URCs', async () => {
    const { serial, sim } = await start({ profile: 'quectel' });
    await serial.at.command('ATE0;+CREG=1');
    expect(await serial.at.command('AT+CFUN?')).toBe('\r\n+CFUN: 1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CFUN=?')).toBe('\r\n+CFUN: (0,1,4),(0,1)\r\n\r\nOK\r\n');
    await serial.at.command('AT+CFUN=4');
    await serial.at.waitFor(/\+CREG: 0\r\n/);
    await serial.at.command('AT+CFUN=1');
    await serial.at.waitFor(/\+CREG: 1\r\n/);
    const before = serial.at.received.length;
    expect(await serial.at.command('AT+CFUN=1,1')).toBe('\r\nOK\r\n');
    const boot = await serial.at.waitFor(/\+QIND: PB DONE\r\n/, 3000, before);
    expect(boot).toMatch(/RDY\r\n[\s\S]*\+CPIN: READY\r\n[\s\S]*\+QIND: SMS DONE\r\n[\s\S]*\+QIND: PB DONE/);
    // Settings went back to defaults: echo is on again.
    expect(await serial.at.command('AT')).toBe('AT\r\r\nOK\r\n');
    expect(sim.modem.log().some((entry) => entry.text === 'boot')).toBe(true);
  });

  test('several commands on one line, answered in one response', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CMGF=0;+CSCS?;+CMGF?')).toBe('\r\n+CSCS: "GSM"\r\n+CMGF: 0\r\n\r\nOK\r\n');
    // A failing command stops the line: what ran before stays done.
    expect(await serial.at.command('AT+CMGF=1;+NOPE;+CMGF=0')).toBe('\r\nERROR\r\n');
    expect(await serial.at.command('AT+CMGF?')).toBe('\r\n+CMGF: 1\r\n\r\nOK\r\n');
  });

  test('+CSCS query, test and set', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CSCS=?')).toContain('"UCS2"');
    expect(await serial.at.command('AT+CSCS="UCS2"')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+CSCS?')).toBe('\r\n+CSCS: "UCS2"\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSCS="KLINGON"')).toBe('\r\n+CME ERROR: 4\r\n');
  });
});

describe('bad input never crashes the modem', () => {
  test('unknown commands answer ERROR or +CME ERROR as +CMEE says', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+XYZZY')).toBe('\r\nERROR\r\n');
    await serial.at.command('AT+CMEE=1');
    expect(await serial.at.command('AT+XYZZY?')).toBe('\r\n+CME ERROR: 100\r\n');
  });

  test('malformed lines, non-AT text and binary garbage answer ERROR, then the modem works on', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CMGF="unterminated')).toBe('\r\nERROR\r\n');
    expect(await serial.at.command('HELLO')).toBe('\r\nERROR\r\n');
    expect(await serial.at.command('AT!!')).toBe('\r\nERROR\r\n');
    const before = serial.at.received.length;
    serial.port.write(Buffer.from([0x41, 0x54, 0xff, 0x00, 0x80, 0xfe, 0x0d]));
    await serial.at.waitFor(/\r\nERROR\r\n$/, 3000, before);
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
  });

  test('an over-long line is discarded with ERROR; the next line is fine', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    expect(await serial.at.command(`AT+CSCA="${'1'.repeat(5000)}"`)).toBe('\r\nERROR\r\n');
    expect(await serial.at.command('AT+CGMI')).toBe('\r\nm2m-bridge\r\n\r\nOK\r\n');
    expect(sim.modem.state().power).toBe('on');
  });

  test('a command split across writes at odd places still runs once', async () => {
    const { serial } = await start();
    await serial.at.command('ATE0');
    const before = serial.at.received.length;
    for (const piece of ['A', 'T+C', 'GM', 'M\r']) serial.port.write(piece);
    expect(await serial.at.waitFor(/OK\r\n$/, 3000, before)).toBe('\r\nSimulated Modem\r\n\r\nOK\r\n');
  });
});
