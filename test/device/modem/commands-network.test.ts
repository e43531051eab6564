import { describe, expect, test } from 'vitest';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();

describe('registration and signal over a pty', () => {
  test('+CREG/+CGREG/+CEREG read in each <n> mode', async () => {
    const { serial } = await start({ roaming: true });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CREG?')).toBe('\r\n+CREG: 0,5\r\n\r\nOK\r\n');
    await serial.at.command('AT+CREG=2');
    expect(await serial.at.command('AT+CREG?')).toBe('\r\n+CREG: 2,5,"1A2B","01C3D4E5",7\r\n\r\nOK\r\n');
    await serial.at.command('AT+CEREG=1');
    expect(await serial.at.command('AT+CEREG?')).toBe('\r\n+CEREG: 1,5\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGREG?')).toBe('\r\n+CGREG: 0,5\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGREG=?')).toBe('\r\n+CGREG: (0-2)\r\n\r\nOK\r\n');
    await serial.at.command('AT+CMEE=1');
    expect(await serial.at.command('AT+CREG=7')).toBe('\r\n+CME ERROR: 50\r\n');
  });

  test('registration URCs follow +CxREG=<n> when the network goes and comes back', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CREG=1;+CEREG=2');
    const before = serial.at.received.length;
    sim.modem.setFaults({ noNetwork: true });
    await serial.at.waitFor(/\+CREG: 2\r\n[\s\S]*\+CEREG: 2\r\n/, 3000, before);
    expect(await serial.at.command('AT+COPS?')).toBe('\r\n+COPS: 0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 99,99\r\n\r\nOK\r\n');
    const again = serial.at.received.length;
    sim.modem.setFaults({ noNetwork: false });
    await serial.at.waitFor(/\+CREG: 1\r\n[\s\S]*\+CEREG: 1,"1A2B","01C3D4E5",7\r\n/, 3000, again);
  });

  test('vendor signal URCs once switched on: Quectel +QIND: "csq", SIMCom +CSQN, on every <rssi> change', async () => {
    for (const [profile, enable, urc] of [
      ['quectel', 'AT+QINDCFG="csq",1', '+QIND: "csq"'],
      ['simcom', 'AT+AUTOCSQ=1,1', '+CSQN:'],
      ['simcom', 'AT+EXUNSOL="SQ",1', '+CSQN:'],
    ] as const) {
      const { serial, sim } = await start({ profile });
      await serial.at.command('ATE0');
      // Off after boot: losing the network changes <rssi> but prints nothing.
      const quiet = serial.at.received.length;
      sim.modem.setFaults({ noNetwork: true });
      expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 99,99\r\n\r\nOK\r\n');
      expect(serial.at.received.slice(quiet)).not.toContain(urc);
      expect(await serial.at.command(enable)).toBe('\r\nOK\r\n');
      const before = serial.at.received.length;
      sim.modem.setFaults({ noNetwork: false });
      const escaped = urc.replace(/[+"]/g, (c) => `\\${c}`);
      await serial.at.waitFor(new RegExp(`${escaped}\\s*,?\\s*20,99\r\n`), 3000, before);
    }
  });

  test('profiles without a signal URC refuse the vendor commands', async () => {
    const { serial } = await start({ profile: 'generic' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+QINDCFG="csq",1')).toBe('\r\nERROR\r\n');
    expect(await serial.at.command('AT+AUTOCSQ=1,1')).toBe('\r\nERROR\r\n');
  });

  test('+COPS, +CSQ and +CESQ when registered', async () => {
    const { serial } = await start({ operator: 'Example Net' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+COPS?')).toBe('\r\n+COPS: 0,0,"Example Net",7\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+COPS=0')).toBe('\r\nOK\r\n');
    expect(await serial.at.command('AT+COPS=?')).toContain('+COPS: (2,"Example Net"');
    expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSQ=?')).toBe('\r\n+CSQ: (0-31,99),(0-7,99)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CESQ')).toBe('\r\n+CESQ: 99,99,255,255,20,50\r\n\r\nOK\r\n');
  });

  test('a 2G profile reports GSM access technology', async () => {
    const { serial } = await start({ profile: 'simcom' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+COPS?')).toBe('\r\n+COPS: 0,0,"Twilio",0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CESQ')).toBe('\r\n+CESQ: 40,0,255,255,255,255\r\n\r\nOK\r\n');
  });
});

describe('the PDP context over a pty (read-only)', () => {
  test('+CGACT? and +CGPADDR report the data session; setting it is refused', async () => {
    const { serial, sim } = await start({ pdpAddress: '10.64.0.2' });
    await serial.at.command('ATE0');
    expect(await serial.at.command('AT+CGACT?')).toBe('\r\n+CGACT: 1,1\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGPADDR')).toBe('\r\n+CGPADDR: 1,"10.64.0.2"\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGPADDR=1')).toBe('\r\n+CGPADDR: 1,"10.64.0.2"\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGPADDR=?')).toBe('\r\n+CGPADDR: (1)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGACT=0,1')).toBe('\r\nERROR\r\n');
    sim.modem.setDataSession(null);
    expect(await serial.at.command('AT+CGACT?')).toBe('\r\n+CGACT: 1,0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CGPADDR')).toBe('\r\n+CGPADDR: 1\r\n\r\nOK\r\n');
  });

  test('without registration the context is inactive even with a session address', async () => {
    const { serial, sim } = await start({ pdpAddress: '10.64.0.2' });
    await serial.at.command('ATE0');
    sim.modem.setFaults({ noNetwork: true });
    expect(await serial.at.command('AT+CGACT?')).toBe('\r\n+CGACT: 1,0\r\n\r\nOK\r\n');
  });
});
