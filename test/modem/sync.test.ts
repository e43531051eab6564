import { describe, expect, it } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { syncModem } from '../../src/modem/init.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { ManualClock } from '../../src/util/manual-clock.js';
import { FakeTransport } from '../at/fake-transport.js';

function setup() {
  const transport = new FakeTransport();
  const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs: new UrcRegistry() });
  return { transport, channel };
}

describe('syncModem (re-sync rung of the recovery ladder)', () => {
  it('realigns after a late answer to a timed-out command would shift every answer by one', async () => {
    const { transport, channel } = setup();
    let probes = 0;
    transport.script = (data) => {
      if (data === 'AT+CMEE?\r') {
        probes++;
        if (probes === 1) {
          // The OK of the command that timed out arrives first; the probe's own answer comes a little later.
          setTimeout(() => transport.feed('\r\n+CMEE: 1\r\n\r\nOK\r\n'), 30);
          return '\r\nOK\r\n';
        }
        return '\r\n+CMEE: 1\r\n\r\nOK\r\n';
      }
      if (data === 'AT+CGMI\r') return '\r\nQuectel\r\n\r\nOK\r\n';
      throw new Error(`unknown command ${JSON.stringify(data)}`);
    };
    await expect(syncModem(channel, systemClock, 5)).resolves.toBe(true);
    expect(probes).toBe(2);
    expect((await channel.run('AT+CGMI')).lines).toEqual(['Quectel']);
  });

  it('falls back to plain AT when the modem has no AT+CMEE?', async () => {
    const { transport, channel } = setup();
    transport.script = (data) => (data === 'AT+CMEE?\r' ? '\r\nERROR\r\n' : data === 'AT\r' ? '\r\nOK\r\n' : undefined);
    await expect(syncModem(channel, systemClock, 3)).resolves.toBe(true);
  });

  it('gives up after its attempts when nothing answers, with growing deadlines', async () => {
    const clock = new ManualClock();
    const transport = new FakeTransport();
    const channel = new AtChannel({ transport, clock, logger: silentLogger(), urcs: new UrcRegistry() });
    transport.script = () => undefined;
    const result = syncModem(channel, clock, 2);
    await clock.advanceAsync(999);
    expect(transport.written).toEqual(['AT+CMEE?\r']);
    await clock.advanceAsync(1);
    await clock.advanceAsync(1999);
    expect(transport.written).toEqual(['AT+CMEE?\r', 'AT+CMEE?\r']);
    await clock.advanceAsync(1);
    await expect(result).resolves.toBe(false);
  });
});
