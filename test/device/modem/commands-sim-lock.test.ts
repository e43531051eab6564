import { describe, expect, test } from 'vitest';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();
const ok = '\r\nOK\r\n';

describe('SIM locks over a pty: +CPIN with the PUK, +CPINR, +CLCK "SC", +CPWD "SC", vendor retry counters', () => {
  test('three wrong PINs ask for the PUK; PUK and a new PIN unlock; ten wrong PUKs kill the SIM', async () => {
    const { serial, sim } = await start({ pin: '1234', puk: '87654321' });
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CPINR="SIM PIN"')).toBe('\r\n+CPINR: SIM PIN,3,3\r\n\r\nOK\r\n');
    for (const wrong of ['0000', '1111'])
      expect(await serial.at.command(`AT+CPIN="${wrong}"`)).toBe('\r\n+CME ERROR: 16\r\n');
    expect(await serial.at.command('AT+CPINR')).toBe('\r\n+CPINR: SIM PIN,1,3\r\n+CPINR: SIM PUK,10,10\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPIN="2222"')).toBe('\r\n+CME ERROR: 12\r\n');
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n');
    expect(sim.modem.state().sim).toBe('puk_required');
    // Still wanting the PUK after a restart.
    sim.modem.reboot();
    await sim.modem.whenPoweredOn();
    await serial.at.command('ATE0;+CMEE=1'); // a restart brings the defaults back
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPIN="11111111","4321"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(await serial.at.command('AT+CPINR="SIM PUK"')).toBe('\r\n+CPINR: SIM PUK,9,10\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CPIN="87654321","4321"')).toBe(ok);
    expect(sim.modem.state().sim).toBe('ready');
    // The new PIN is the PIN now.
    sim.modem.reboot();
    await sim.modem.whenPoweredOn();
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CPIN="1234"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(await serial.at.command('AT+CPIN="4321"')).toBe(ok);
  });

  test('a SIM whose PUK tries ran out is a SIM failure (+CME ERROR: 13)', async () => {
    const { serial, sim } = await start({ pin: '1234' });
    await serial.at.command('ATE0;+CMEE=1');
    for (const wrong of ['1', '2', '3']) await serial.at.command(`AT+CPIN="000${wrong}"`);
    for (let i = 0; i < 9; i++)
      expect(await serial.at.command('AT+CPIN="00000000","1111"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(await serial.at.command('AT+CPIN="00000000","1111"')).toBe('\r\n+CME ERROR: 13\r\n');
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CME ERROR: 13\r\n');
    expect(sim.modem.state().sim).toBe('blocked');
  });

  test('+CLCK "SC" queries and switches the PIN lock; +CPWD "SC" changes the PIN; both check the old one', async () => {
    const { serial, sim } = await start({ pin: '1234' });
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CLCK="SC",2')).toBe('\r\n+CLCK: 1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CLCK="SC",0,"1234"')).toBe('\r\n+CME ERROR: 11\r\n');
    const mark = serial.at.received.length;
    expect(await serial.at.command('AT+CPIN="1234"')).toBe(ok);
    // The unlock's URC follows the OK; waited for, so it is not read as part of the next answer.
    await serial.at.waitFor(/\+CPIN: READY\r\n/, 3000, mark);
    expect(await serial.at.command('AT+CPWD="SC","9999","5678"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(await serial.at.command('AT+CPWD="SC","1234","5678"')).toBe(ok);
    expect(await serial.at.command('AT+CLCK="SC",0,"5678"')).toBe(ok);
    expect(await serial.at.command('AT+CLCK="SC",2')).toBe('\r\n+CLCK: 0\r\n\r\nOK\r\n');
    // With the lock off, the SIM comes up ready after a restart.
    sim.modem.reboot();
    await sim.modem.whenReady();
    await serial.at.command('ATE0;+CMEE=1');
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: READY\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CLCK="XX",2')).toBe('\r\n+CME ERROR: 4\r\n');
  });

  test.each([
    ['quectel', 'AT+QPINC="SC"', '+QPINC: "SC",2,10'],
    ['simcom', 'AT+SPIC', '+SPIC: 2,3,10,10'],
    ['ublox', 'AT+UPINCNT', '+UPINCNT: 2,3,10,10'],
    ['huawei', 'AT^CPIN?', '^CPIN: SIM PIN,,10,2,10,3'],
    ['telit', 'AT#PCT', '#PCT: 2'],
  ] as const)('%s answers its own retry counter (%s) from the same state', async (profile, command, line) => {
    const { serial } = await start({ profile, pin: '1234' });
    await serial.at.command('ATE0;+CMEE=1');
    await serial.at.command('AT+CPIN="0000"');
    expect(await serial.at.command(command)).toBe(`\r\n${line}\r\n\r\nOK\r\n`);
  });
});
