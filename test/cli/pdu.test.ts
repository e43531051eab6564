import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Runs the built binary (npm test builds first). PDUs are published vectors, see test/sms/vectors.test.ts.
const HELLO = '07912143658709F1040B918100551512F20000111010214365000AE8329BFD4697D9EC37'; // ModemManager test_pdu3
const STATUS = '0006D60B911326880736F4111011719551401110117195714000'; // python-gsmmodem status report
const COMMAND = '07911326040000F004048192630000621172610250400AF2B2F8FDA683DCEF3B'; // "reboot now" from 2936

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('m2m-bridge pdu decode', () => {
  it('decodes PDUs given as arguments, one JSON line each', async () => {
    const result = await runCli(['pdu', 'decode', COMMAND, STATUS]);
    expect(result.code).toBe(0);
    const [command, status] = lines(result.stdout);
    expect(command).toMatchObject({
      type: 'SMS-DELIVER',
      originator: '2936',
      text: 'reboot now',
      timestamp: '2026-11-27T16:20:05+01:00',
    });
    expect(status).toMatchObject({
      type: 'SMS-STATUS-REPORT',
      recipient: '+31628870634',
      message_reference: 214,
      status: 0,
    });
  });

  it('decodes a status report whose TP-DT has a bad BCD digit: discharge_time null, the warning on the line, exit 0', async () => {
    // The status report above with its TP-DT time-zone octet 0x40 turned into 0xA0.
    const odd = `${STATUS.slice(0, -4)}A000`;
    const result = await runCli(['pdu', 'decode', odd]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      expect.objectContaining({
        type: 'SMS-STATUS-REPORT',
        message_reference: 214,
        status: 0,
        delivery_status: 'delivered',
        timestamp: '2011-01-11T17:59:15+01:00',
        discharge_time: null,
        warnings: ['discharge_time at octet 24 (0xA0): bad BCD digit in the time zone; discharge_time is null'],
      }),
    ]);
  });

  it('reads one PDU per line from stdin, skipping blank lines and surrounding whitespace', async () => {
    const result = await runCli(['pdu', 'decode'], { stdin: `\n  ${HELLO}  \r\n\n\t${COMMAND}\n\n` });
    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((line) => line.text)).toEqual(['hellohello', 'reboot now']);
  });

  it('--no-smsc decodes a bare TPDU', async () => {
    const result = await runCli(['pdu', 'decode', '--no-smsc', '010005912143f500000bc8329bfd06dddf723619']);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toMatchObject({
      type: 'SMS-SUBMIT',
      smsc: null,
      destination: '+12345',
      text: 'Hello world',
    });
  });

  it('an invalid PDU prints an error line in place and the exit code is 1 at the end', async () => {
    const result = await runCli(['pdu', 'decode'], { stdin: `${HELLO}\n${HELLO.slice(0, 40)}\nnot hex\n${COMMAND}\n` });
    expect(result.code).toBe(1);
    const out = lines(result.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ text: 'hellohello' });
    expect(out[1]).toMatchObject({ field: 'timestamp', offset: 19 });
    expect(out[1]!.error).toEqual(expect.stringContaining('truncated'));
    expect(out[2]).toMatchObject({ field: 'pdu', offset: 0 });
    expect(out[3]).toMatchObject({ text: 'reboot now' });
    expect(result.stderr).toBe('');
  });

  it('an empty HEX argument is a usage error (exit 2, one line), not a silent success', async () => {
    for (const args of [[''], ['  '], [COMMAND, '']]) {
      const result = await runCli(['pdu', 'decode', ...args]);
      expect(result.code, JSON.stringify(args)).toBe(2);
      expect(result.stdout, JSON.stringify(args)).toBe('');
      expect(result.stderr.trim().split('\n'), JSON.stringify(args)).toHaveLength(1);
      expect(result.stderr).toContain('empty HEX argument');
    }
  });

  it('an SMSC prefix of 01 91 (type octet, no digits) prints "smsc":null', async () => {
    const result = await runCli(['pdu', 'decode', '0191' + COMMAND.slice(16)]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toMatchObject({ smsc: null, originator: '2936', text: 'reboot now' });
  });

  it('rejects unknown flags with exit 2 and one line', async () => {
    const result = await runCli(['pdu', 'decode', '--frob', HELLO]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('m2m-bridge pdu encode', () => {
  it('prints the SMS-SUBMIT with its AT+CMGS length', async () => {
    const result = await runCli(['pdu', 'encode', '--to', '+27820001111', '--text', 'Hello World!']);
    expect(result.code).toBe(0);
    // python-gsmmodem test_encodeSmsSubmit.
    expect(lines(result.stdout)).toEqual([
      { pdu: '0001000B917228001011F100000CC8329BFD065DDF72363904', tpdu_length: 24 },
    ]);
  });

  it('status report and validity flags', async () => {
    const result = await runCli([
      'pdu',
      'encode',
      '--to',
      '2936',
      '--text',
      'ok',
      '--status-report',
      '--validity',
      '1d',
    ]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([{ pdu: '003100048192630000A702EF35', tpdu_length: 12 }]);
  });

  it('long text becomes several parts, --hex becomes 8-bit data', async () => {
    const text = await runCli(['pdu', 'encode', '--to', '2936', '--text', '€'.repeat(100)]);
    expect(lines(text.stdout)).toHaveLength(2);
    const binary = await runCli(['pdu', 'encode', '--to', '2936', '--hex', 'DEADBEEF']);
    const [part] = lines(binary.stdout);
    const decoded = await runCli(['pdu', 'decode', part!.pdu as string]);
    expect(lines(decoded.stdout)[0]).toMatchObject({ encoding: '8bit', data_hex: 'DEADBEEF' });
  });

  it('bad input is a usage error (exit 2, one line, no stack)', async () => {
    for (const args of [
      ['--to', 'Twilio', '--text', 'x'],
      ['--text', 'x'],
      ['--to', '2936'],
      ['--to', '2936', '--text', 'x', '--hex', '00'],
      ['--to', '2936', '--hex', 'XYZ'],
      ['--to', '2936', '--text', 'x', '--validity', 'forever'],
      ['--to', '2936', '--text', 'x', 'extra'],
    ]) {
      const result = await runCli(['pdu', 'encode', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).not.toContain('    at ');
    }
  });

  it('pdu without an action, or with an unknown one, is a usage error', async () => {
    expect((await runCli(['pdu'])).code).toBe(2);
    expect((await runCli(['pdu', 'frob'])).code).toBe(2);
    const help = await runCli(['pdu', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('m2m-bridge pdu decode');
  });
});
