import { describe, expect, test } from 'vitest';
import { AtSyntaxError, parseCommandLine, splitParams } from '../../../device/modem/at-parser.js';

describe('parseCommandLine', () => {
  test('runs basic commands together and extended commands separated by ;', () => {
    const commands = parseCommandLine('E0V1+CMGF=0;+CPMS?;+CNMI=?');
    expect(commands.map((command) => [command.name, command.kind, command.params])).toEqual([
      ['E', 'set', ['0']],
      ['V', 'set', ['1']],
      ['+CMGF', 'set', ['0']],
      ['+CPMS', 'read', []],
      ['+CNMI', 'test', []],
    ]);
  });

  test('is case-insensitive and keeps quoted parameters intact', () => {
    const [command] = parseCommandLine('+cpms="SM","ME;x","MT"');
    expect(command?.name).toBe('+CPMS');
    expect(command?.params).toEqual(['SM', 'ME;x', 'MT']);
    expect(command?.quoted).toEqual([true, true, true]);
  });

  test('reads S-registers and vendor prefixes', () => {
    expect(parseCommandLine('S3=13S5?').map((command) => [command.name, command.kind])).toEqual([
      ['S3', 'set'],
      ['S5', 'read'],
    ]);
    expect(parseCommandLine('^ICCID?')[0]?.name).toBe('^ICCID');
    expect(parseCommandLine('&F')[0]?.name).toBe('&F');
  });

  test('rejects malformed lines with a syntax error', () => {
    expect(() => parseCommandLine('+CMGF=0,"open')).toThrow(AtSyntaxError);
    expect(() => parseCommandLine('+')).toThrow(AtSyntaxError);
    expect(() => parseCommandLine('!!')).toThrow(AtSyntaxError);
    expect(() => parseCommandLine('+CMGF*')).toThrow(AtSyntaxError);
  });

  test('splits parameters, trimming unquoted ones and keeping empty positions', () => {
    expect(splitParams(' 2, 1,,"a b"')).toEqual({ params: ['2', '1', '', 'a b'], quoted: [false, false, false, true] });
  });
});
