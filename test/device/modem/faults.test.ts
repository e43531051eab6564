import { describe, expect, test, vi } from 'vitest';
import { encodeSubmit } from '../../../src/sms/index.js';
import { usePtyModem } from './pty-fixture.js';

const start = usePtyModem();
const [reply] = encodeSubmit({ to: '2936', text: 'fault test' });

describe('faults, switched at run time, seen through a pty', () => {
  test('responseDelayMs holds every final result back', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ responseDelayMs: 300 });
    const started = performance.now();
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    sim.modem.setFaults({ responseDelayMs: 0 });
  });

  test('a reboot while an answer is held back: the old firmware never answers', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ responseDelayMs: 300 });
    const since = sim.modem.log().at(-1)?.seq ?? 0;
    const before = serial.at.received.length;
    serial.port.write('AT+CGMI\r');
    await vi.waitFor(() => expect(sim.modem.log(since).some((e) => e.text === 'AT+CGMI')).toBe(true));
    sim.modem.reboot();
    await vi.waitFor(
      () => expect(sim.modem.log(since).some((e) => /from before the reboot dropped/.test(e.text))).toBe(true),
      { timeout: 3000 },
    );
    // Only what the rebooted firmware says (its boot URCs), never the manufacturer line or OK of the old command.
    expect(serial.at.received.slice(before)).not.toMatch(/OK|SIMCOM|Quectel|u-blox|Huawei/i);
    sim.modem.setFaults({ responseDelayMs: 0 });
  });

  test('sendDelayMs: +CMGS answers only after the network took its time', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ sendDelayMs: 400 });
    const started = performance.now();
    expect(await serial.at.send(`AT+CMGS=${reply!.tpdu_length}`, reply!.pdu)).toBe('\r\n+CMGS: 0\r\n\r\nOK\r\n');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  test('hang: the modem stops answering until the fault is cleared', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ hang: true });
    await expect(serial.at.command('AT', 300)).rejects.toThrow(/timed out/);
    sim.modem.setFaults({ hang: false });
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
  });

  test('garbage: line noise before the next response', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ garbage: 1 });
    const answer = await serial.at.command('AT');
    expect(answer.endsWith('\r\nOK\r\n')).toBe(true);
    expect(Buffer.from(answer, 'latin1').subarray(0, 4)).toEqual(Buffer.from([0x00, 0xff, 0xfe, 0x7f]));
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
  });

  test('dropLines loses the next line (here the OK); doubleLines writes it twice', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ dropLines: 1 });
    await expect(serial.at.command('AT', 300)).rejects.toThrow(/timed out/);
    const before = serial.at.received.length;
    sim.modem.setFaults({ doubleLines: 1 });
    serial.port.write('AT\r');
    expect(await serial.at.waitFor(/OK\r\n\r\nOK\r\n$/, 3000, before)).toBe('\r\nOK\r\n\r\nOK\r\n');
    expect(sim.modem.faults().doubleLines).toBe(0);
  });

  test('urcInResponse puts an unsolicited line between the information and the OK', async () => {
    const { serial, sim } = await start({ profile: 'quectel' });
    await serial.at.command('ATE0');
    sim.modem.setFaults({ urcInResponse: 1 });
    expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 20,99\r\n\r\n+QIND: "csq",20,99\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CSQ')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
  });

  test('urcInEcho and urcBeforePrompt put a URC inside the echo and before the > prompt', async () => {
    const { serial, sim } = await start();
    sim.modem.setFaults({ urcInEcho: 1 });
    expect(await serial.at.command('AT+CMGF?')).toBe('AT+CMGF?\r\n+CREG: 1\r\n\r\r\n+CMGF: 0\r\n\r\nOK\r\n');
    await serial.at.command('ATE0');
    sim.modem.setFaults({ urcBeforePrompt: 1 });
    const before = serial.at.received.length;
    serial.port.write(`AT+CMGS=${reply!.tpdu_length}\r`);
    expect(await serial.at.waitFor(/> $/, 3000, before)).toBe('\r\n+CREG: 1\r\n\r\n> ');
    serial.port.write(`${reply!.pdu}\x1a`);
    await serial.at.waitFor(/\+CMGS: 0\r\n\r\nOK\r\n$/, 3000, before);
  });

  test('echoAfterAte0: ATE0 answers OK but the echo goes on, so urcInEcho still fires', async () => {
    const { serial, sim } = await start();
    sim.modem.setFaults({ echoAfterAte0: true });
    expect(await serial.at.command('ATE0')).toBe('ATE0\r\r\nOK\r\n');
    expect(sim.modem.state().settings.echo).toBe(false);
    sim.modem.setFaults({ urcInEcho: 1 });
    expect(await serial.at.command('AT+CMGF?')).toBe('AT+CMGF?\r\n+CREG: 1\r\n\r\r\n+CMGF: 0\r\n\r\nOK\r\n');
    expect(sim.modem.faults().urcInEcho).toBe(0);
    // The PDU typed after the prompt is echoed too.
    expect(await serial.at.send(`AT+CMGS=${reply!.tpdu_length}`, reply!.pdu)).toBe(
      `${reply!.pdu}\r\n+CMGS: 0\r\n\r\nOK\r\n`,
    );
    sim.modem.setFaults({ echoAfterAte0: false });
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
  });

  test('rejectCnmi: +CNMI=? lists ds=2, setting it fails with +CMS ERROR: 303, the fallback is taken', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CMEE=1');
    sim.modem.setFaults({ rejectCnmi: { ds: [2] } });
    expect(await serial.at.command('AT+CNMI=?')).toBe('\r\n+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CNMI=2,1,0,2,0')).toBe('\r\n+CMS ERROR: 303\r\n');
    expect(await serial.at.command('AT+CNMI?')).toBe('\r\n+CNMI: 2,1,0,0,0\r\n\r\nOK\r\n');
    expect(await serial.at.command('AT+CNMI=2,1,0,1,0')).toBe('\r\nOK\r\n');
    sim.modem.setFaults({ rejectCnmi: { mode: [2] } });
    expect(await serial.at.command('AT+CNMI=2,1,0,1,0')).toBe('\r\n+CMS ERROR: 303\r\n');
    expect(await serial.at.command('AT+CNMI=1,1,0,1,0')).toBe('\r\nOK\r\n');
    expect(sim.modem.state().settings.cnmi).toEqual([1, 1, 0, 1, 0]);
    sim.modem.setFaults({ rejectCnmi: null });
    expect(await serial.at.command('AT+CNMI=2,1,0,2,0')).toBe('\r\nOK\r\n');
    expect(() => sim.modem.setFaults({ rejectCnmi: { ds: ['2'] } } as never)).toThrow(/rejectCnmi\.ds/);
    expect(() => sim.modem.setFaults({ rejectCnmi: { mt: [1] } } as never)).toThrow(/not 'mt'/);
  });

  test('reboot: boot URCs again and settings back to defaults', async () => {
    const { serial, sim } = await start({ profile: 'simcom' });
    await serial.at.command('ATE0;+CMGF=1');
    const before = serial.at.received.length;
    sim.modem.reboot();
    await serial.at.waitFor(/RDY\r\n[\s\S]*SMS Ready\r\n/, 3000, before);
    expect(await serial.at.command('AT+CMGF?')).toBe('AT+CMGF?\r\r\n+CMGF: 0\r\n\r\nOK\r\n');
  });

  test('sendError: +CMS ERROR 500 for the next two sends, then sends work', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0');
    sim.modem.setFaults({ sendError: { code: 500, count: 2 } });
    expect(await serial.at.send(`AT+CMGS=${reply!.tpdu_length}`, reply!.pdu)).toBe('\r\n+CMS ERROR: 500\r\n');
    expect(await serial.at.send(`AT+CMGS=${reply!.tpdu_length}`, reply!.pdu)).toBe('\r\n+CMS ERROR: 500\r\n');
    expect(await serial.at.send(`AT+CMGS=${reply!.tpdu_length}`, reply!.pdu)).toBe('\r\n+CMGS: 0\r\n\r\nOK\r\n');
    expect(sim.modem.sent()).toHaveLength(1);
    expect(sim.modem.faults().sendError).toBeNull();
  });

  test('simNotReady: CME 14 / CMS 314 for a while, then the SIM answers', async () => {
    const { serial, sim } = await start();
    await serial.at.command('ATE0;+CMEE=1');
    sim.modem.setFaults({ simNotReady: { code: 14, forMs: 400 } });
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CME ERROR: 14\r\n');
    expect(await serial.at.command('AT+CMGL=4')).toBe('\r\n+CMS ERROR: 314\r\n');
    expect(await serial.at.command('AT+CCID')).toBe('\r\n+CME ERROR: 14\r\n');
    await new Promise<void>((resolve) => {
      const check = () => {
        if (sim.modem.faults().simNotReady === null) {
          sim.modem.off('change', check);
          resolve();
        }
      };
      sim.modem.on('change', check);
    });
    expect(await serial.at.command('AT+CPIN?')).toBe('\r\n+CPIN: READY\r\n\r\nOK\r\n');
    sim.modem.setFaults({ simNotReady: { code: 10, forMs: 10_000 } });
    expect(await serial.at.command('AT+CIMI')).toBe('\r\n+CME ERROR: 10\r\n');
    expect(await serial.at.command('AT+CPMS?')).toBe('\r\n+CMS ERROR: 310\r\n');
    sim.modem.setFaults({ simNotReady: null });
    expect(await serial.at.command('AT+CIMI')).toContain('OK');
  });

  test('noNetwork: not registered, sends fail with +CMS ERROR: 331, MT waits in the network', async () => {
    const { serial, sim } = await start({ networkRetryMs: 20 });
    await serial.at.command('ATE0');
    sim.modem.setFaults({ noNetwork: true });
    expect(await serial.at.command('AT+CREG?')).toBe('\r\n+CREG: 0,2\r\n\r\nOK\r\n');
    expect(await serial.at.send(`AT+CMGS=${reply!.tpdu_length}`, reply!.pdu)).toBe('\r\n+CMS ERROR: 331\r\n');
    expect(sim.modem.injectSms({ from: '2936', text: 'later' })[0]?.delivery).toEqual({
      outcome: 'held',
      reason: 'not_registered',
    });
    const before = serial.at.received.length;
    sim.modem.setFaults({ noNetwork: false });
    await serial.at.waitFor(/\+CMTI: "SM",1\r\n/, 3000, before);
  });

  test('storageFull: no +CMTI, the network holds the message and retries once space frees', async () => {
    const { serial, sim } = await start({ networkRetryMs: 20 });
    await serial.at.command('ATE0');
    sim.modem.setFaults({ storageFull: true });
    expect(await serial.at.command('AT+CPMS?')).toBe('\r\n+CPMS: "SM",30,30,"SM",30,30,"SM",30,30\r\n\r\nOK\r\n');
    const before = serial.at.received.length;
    expect(sim.modem.injectSms({ from: '2936', text: 'no room' })[0]?.delivery).toEqual({
      outcome: 'held',
      reason: 'storage_full',
    });
    expect(sim.modem.state().held_by_network).toBe(1);
    expect(await serial.at.command('AT')).toBe('\r\nOK\r\n');
    expect(serial.at.received.slice(before)).not.toContain('+CMTI');
    sim.modem.setFaults({ storageFull: false });
    await serial.at.waitFor(/\+CMTI: "SM",1\r\n/, 3000, before);
    expect(sim.modem.state().held_by_network).toBe(0);
  });

  test('a really full SIM: the third message waits until +CMGD frees a slot', async () => {
    const { serial, sim } = await start({ storage: { SM: 2 }, networkRetryMs: 20 });
    await serial.at.command('ATE0');
    const outcomes = ['one', 'two', 'three'].map((text) => sim.modem.injectSms({ from: '2936', text })[0]?.delivery);
    expect(outcomes.map((outcome) => outcome?.outcome)).toEqual(['stored', 'stored', 'held']);
    await serial.at.waitFor(/\+CMTI: "SM",2\r\n/);
    expect(await serial.at.command('AT+CPMS?')).toContain('"SM",2,2');
    const before = serial.at.received.length;
    await serial.at.command('AT+CMGD=1');
    await serial.at.waitFor(/\+CMTI: "SM",1\r\n/, 3000, before);
    expect(await serial.at.command('AT+CMGR=1')).toContain('OK');
  });

  test('invalid fault specs are rejected with a clear error', async () => {
    const { sim } = await start();
    expect(() => sim.modem.setFaults({ hang: 'yes' } as never)).toThrow(/hang must be true or false/);
    expect(() => sim.modem.setFaults({ bogus: 1 } as never)).toThrow(/unknown fault 'bogus'/);
    expect(() => sim.modem.setFaults({ sendError: { code: 42, count: 1 } })).toThrow(/\+CMS ERROR code/);
    expect(() => sim.modem.setFaults({ dropLines: -1 })).toThrow(/non-negative integer/);
  });
});
