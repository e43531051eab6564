import { describe, expect, it } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { MemorySelector } from '../../src/modem/memory-selector.js';
import type { MemoryUse } from '../../src/modem/parsers/storage.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTransport } from '../at/fake-transport.js';

/** A modem with SM and ME storage whose +CPMS answers the counters of <mem1>; `refuse` makes a switch fail. */
function setup() {
  const transport = new FakeTransport();
  const used: Record<string, number> = { SM: 2, ME: 0 };
  let mem1 = 'SM';
  let refuse = false;
  transport.script = (data) => {
    const cmd = data.replace(/\r$/, '');
    const select = /^AT\+CPMS="(\w+)"$/.exec(cmd);
    if (select) {
      if (refuse) return '\r\n+CMS ERROR: 302\r\n';
      mem1 = select[1]!;
      return `\r\n+CPMS: ${used[mem1]},30,2,30,2,30\r\n\r\nOK\r\n`;
    }
    if (cmd === 'AT+CPMS?') return `\r\n+CPMS: "${mem1}",${used[mem1]},30,"SM",2,30,"SM",2,30\r\n\r\nOK\r\n`;
    throw new Error(`fake modem: unknown command ${JSON.stringify(cmd)}`);
  };
  const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs: new UrcRegistry() });
  const reported: [string, MemoryUse][] = [];
  const selector = new MemorySelector((memory, use) => reported.push([memory, use]));
  const commands = () => transport.written.map((w) => w.replace(/\r$/, ''));
  return { channel, selector, reported, commands, refuseSwitches: (on: boolean) => (refuse = on) };
}

describe('MemorySelector', () => {
  it('switches <mem1> only when it is elsewhere, and reports the counters the switch answered', async () => {
    const { channel, selector, reported, commands } = setup();
    selector.assume('SM');
    expect(await selector.select(channel, 'SM')).toBeUndefined();
    expect(commands()).toEqual([]);
    expect(await selector.select(channel, 'ME')).toMatchObject({ used: 0, total: 30 });
    expect(await selector.select(channel, 'ME')).toBeUndefined();
    expect(commands()).toEqual(['AT+CPMS="ME"']);
    expect(reported).toEqual([['ME', expect.objectContaining({ used: 0, total: 30 })]]);
  });

  it('reads the counters with one command either way: +CPMS? where <mem1> is, a switch where it is not', async () => {
    const { channel, selector, commands } = setup();
    selector.assume('SM');
    expect(await selector.usageOf(channel, 'SM')).toMatchObject({ used: 2, total: 30 });
    expect(await selector.usageOf(channel, 'ME')).toMatchObject({ used: 0, total: 30 });
    expect(commands()).toEqual(['AT+CPMS?', 'AT+CPMS="ME"']);
  });

  it('after a refused switch, or once told <mem1> is unknown, the next select switches again', async () => {
    const { channel, selector, commands, refuseSwitches } = setup();
    selector.assume('SM');
    refuseSwitches(true);
    await expect(selector.select(channel, 'ME')).rejects.toMatchObject({ kind: 'cms', code: 302 });
    refuseSwitches(false);
    await selector.select(channel, 'SM');
    selector.assume(undefined);
    await selector.select(channel, 'SM');
    expect(commands()).toEqual(['AT+CPMS="ME"', 'AT+CPMS="SM"', 'AT+CPMS="SM"']);
  });
});
