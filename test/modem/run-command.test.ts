import { afterEach, describe, expect, it } from 'vitest';
import { AtError } from '../../src/at/errors.js';
import { type Rig, startRig, waitForState } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Modem.runCommand: a raw command on the driver’s own channel (simulator over a real pty)', () => {
  it('answers AT+CSQ and ATI with the modem’s lines, while the driver keeps running', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    const csq = await rig.modem.runCommand('AT+CSQ');
    expect(csq.lines).toHaveLength(1);
    expect(csq.lines[0]).toMatch(/^\+CSQ: \d+,\d+$/);
    const ati = await rig.modem.runCommand('ati');
    expect(ati.lines.join('\n')).toMatch(/Quectel/);
    // The simulator saw exactly our commands, in the single flight with the driver's own (no interleaving).
    const written = rig.sim.modem
      .log()
      .filter((entry) => entry.direction === 'in')
      .map((entry) => entry.text);
    expect(written.some((text) => text.includes('AT+CSQ'))).toBe(true);
    expect(rig.modem.state).toBe('ready');
  });

  it('rejects a +CME ERROR answer with its code', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ simNotReady: { code: 10, forMs: 60_000 } });
    const error = await rig.modem.runCommand('AT+CPIN?').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtError);
    expect(error).toMatchObject({ kind: 'cme', code: 10 });
  });

  it('refuses anything but one printable AT line: CR, LF, Ctrl-Z, ESC, other text, over-long', async () => {
    rig = await startRig({ profile: 'generic' });
    await waitForState(rig.modem, 'ready');
    for (const bad of [
      'AT+CSQ\rAT+CMGD=1,4',
      'AT\n',
      'AT+CMGS=5\x1a',
      '\x1bAT',
      'reboot',
      '',
      `AT${'X'.repeat(300)}`,
    ]) {
      await expect(rig.modem.runCommand(bad), JSON.stringify(bad)).rejects.toThrow(RangeError);
    }
    // None of it reached the modem (the driver's own status polls go on meanwhile).
    const written = rig.sim.modem
      .log()
      .filter((entry) => entry.direction === 'in')
      .map((entry) => entry.text);
    expect(written.filter((text) => /CMGD|CMGS|reboot|XXXX/i.test(text))).toEqual([]);
  });

  it('says the modem is not there when the port is closed', async () => {
    rig = await startRig({ profile: 'generic' });
    await waitForState(rig.modem, 'ready');
    await rig.modem.stop();
    await expect(rig.modem.runCommand('AT')).rejects.toThrow(/modem is disconnected/);
  });
});
