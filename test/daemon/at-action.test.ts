import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPrefixOf, createAtAction, isAllowedAtCommand, normaliseAtCommand } from '../../src/daemon/at-action.js';
import { consoleQueriesOf } from '../../src/modem/console-command.js';
import { quectel, telit } from '../../src/modem/quirks/index.js';
import { type Rig, startRig, waitForState } from '../modem/harness.js';

describe('the bridge/request/at allow-list', () => {
  it.each([
    'AT',
    'at',
    'ATI',
    'AT+CSQ',
    'AT+CESQ',
    'AT+CREG?',
    'at+cereg?',
    'AT+COPS?',
    'AT+CPIN?',
    'AT+CPMS?',
    'AT+CGSN',
    'AT+CIMI',
    'AT+QCCID',
    ' AT+CSQ ',
  ])('allows the read-only query %j', (command) => {
    expect(isAllowedAtCommand(command)).toBe(true);
  });

  it.each([
    ['AT+CMGL=4', 'marks unread messages read; sweep instead'],
    ['AT+CMGR=1', 'marks the message read'],
    ['AT+CMGD=1,4', 'deletes SMS behind the journal'],
    ['AT+CMGS=20', 'sends SMS behind the journal'],
    ['AT+CFUN=0', 'radio off'],
    ['AT+CFUN=1,1', 'reboot'],
    ['AT+CNMI=0,0,0,0,0', 'stops +CMTI'],
    ['AT+CPMS="SM","SM","SM"', 'moves the storage'],
    ['AT+CMGF=1', 'text mode'],
    ['AT+CPIN="0000"', 'PIN attempt'],
    ['AT+COPS=?', 'a 3-minute scan'],
    ['ATZ', 'reset'],
    ['AT&F', 'factory defaults'],
    ['AT+CSQ;+CMGD=1', 'a second command concatenated'],
    ['ATE1', 'echo on'],
    ['+CSQ', 'no AT prefix'],
  ])('refuses %j (%s)', (command) => {
    expect(isAllowedAtCommand(command)).toBe(false);
  });
});

describe('the vendor queries of the active quirks', () => {
  it('folds case outside quotes only: the quoted argument is sent as typed', () => {
    expect(normaliseAtCommand(' at+qeng="servingcell" ')).toBe('AT+QENG="servingcell"');
    expect(normaliseAtCommand('at+qpinc="SC";+csq')).toBe('AT+QPINC="SC";+CSQ');
  });

  it('admits the queries this vendor defines, compared without case outside the quotes, and nothing else', () => {
    const queries = consoleQueriesOf(quectel);
    for (const command of ['AT+QENG="servingcell"', 'at+qeng="servingcell"', 'AT+QCCID', 'at+qpinc="SC"', 'AT+CPINR'])
      expect(isAllowedAtCommand(command, queries), command).toBe(true);
    for (const command of ['AT+QENG="SERVINGCELL"', 'AT+QENG="neighbourcell"', 'AT+QENG="servingcell";+CFUN=0'])
      expect(isAllowedAtCommand(command, queries), command).toBe(false);
    // Another vendor's query is not this modem's.
    expect(isAllowedAtCommand('AT#RFSTS', queries)).toBe(false);
    expect(isAllowedAtCommand('AT#RFSTS', consoleQueriesOf(telit))).toBe(true);
    expect(isAllowedAtCommand('AT+QENG="servingcell"')).toBe(false);
  });
});

describe('createAtAction with the real driver and the simulator', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
  });
  afterAll(async () => rig.close());
  const action = () => createAtAction({ run: (command, options) => rig.modem.runCommand(command, options) });

  it('answers an allowed query with the modem’s lines and OK', async () => {
    const result = await action()({ command: 'at+csq', transaction: 't1' });
    expect(result).toMatchObject({ command: 'AT+CSQ', final: 'OK', error: null });
    expect((result as { lines: string[] }).lines[0]).toMatch(/^\+CSQ: /);
  });

  it('answers AT+CREG? and AT+CPIN? with their lines, which the driver must not take for its own URCs', async () => {
    expect(answerPrefixOf('at+creg?')).toBe('+CREG:');
    expect(answerPrefixOf('AT+CGSN')).toBeUndefined();
    expect(answerPrefixOf('ATI')).toBeUndefined();
    const creg = (await action()({ command: 'AT+CREG?' })) as { lines: string[] };
    expect(creg.lines).toHaveLength(1);
    // The driver sets AT+CREG=2 (registration by URC, with the cell): the read then carries <lac>,<ci>,<AcT>.
    expect(creg.lines[0]).toMatch(/^\+CREG: 2,[15](,"[0-9A-F]+","[0-9A-F]+",\d+)?$/);
    const cpin = (await action()({ command: 'AT+CPIN?' })) as { lines: string[] };
    expect(cpin.lines).toEqual(['+CPIN: READY']);
    const imei = (await action()({ command: 'AT+CGSN' })) as { lines: string[] };
    expect(imei.lines[0]).toMatch(/^\d{15}$/);
    // The technician's query changed nothing in the driver's view of the network.
    expect(rig.modem.state).toBe('ready');
    expect(rig.modem.status().network.registration).toMatch(/home|roaming/);
  });

  it('turns a +CME ERROR answer into a result naming the code (the request itself worked)', async () => {
    rig.sim.modem.setFaults({ simNotReady: { code: 10, forMs: 60_000 } });
    try {
      const result = await action()({ command: 'AT+CPIN?' });
      expect(result).toEqual({
        command: 'AT+CPIN?',
        lines: [],
        final: '+CME ERROR: 10',
        error: { kind: 'cme', code: 10, text: expect.any(String) },
      });
    } finally {
      rig.sim.modem.setFaults({ simNotReady: null });
    }
  });

  it('refuses with a message that says what is allowed, and sends nothing to the modem', async () => {
    const before = rig.sim.modem.log().length;
    await expect(action()({ command: 'AT+CMGD=1,4' })).rejects.toThrow(
      /not allowed while the daemon holds the modem.*AT\+CSQ/,
    );
    await expect(action()({})).rejects.toThrow(/expected \{"command": "AT…"\}/);
    await expect(action()({ command: 42 })).rejects.toThrow(/expected/);
    const written = rig.sim.modem
      .log()
      .slice(before)
      .filter((e) => e.direction === 'in')
      .map((e) => e.text);
    expect(written.filter((text) => text.includes('CMGD'))).toEqual([]);
  });
});
