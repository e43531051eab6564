import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedModem } from '../../device/modem/index.js';
import { StreamTransport, TransportError } from '../../src/at/transport.js';
import { Modem } from '../../src/modem/modem.js';
import { silentLogger } from '../../src/util/logger.js';
import { ManualClock } from '../../src/util/manual-clock.js';
import { waitFor } from '../helpers/wait.js';
import { RecordingConsumer } from './harness.js';

let modem: Modem | undefined;
let sim: SimulatedModem | undefined;
afterEach(async () => {
  await modem?.stop();
  sim?.dispose();
});

describe('reopen with backoff (driven by a manual clock)', () => {
  it('retries a missing device at 1, 2, 4, 8, 8 s … and comes up when it returns', async () => {
    const clock = new ManualClock();
    sim = new SimulatedModem({ profile: 'simcom', bootDelayMs: 0, smsReadyDelayMs: 0 });
    await sim.whenReady();
    let plugged = false;
    let attempts = 0;
    const device = sim;
    modem = new Modem({
      transportFactory: () => {
        attempts++;
        return plugged
          ? new StreamTransport('sim', async () => device.connect())
          : new StreamTransport('/dev/serial/by-id/usb-gone', async () => {
              throw new TransportError('/dev/serial/by-id/usb-gone: No such file or directory');
            });
      },
      clock,
      logger: silentLogger(),
      consumer: new RecordingConsumer(),
      timing: { reopenMinMs: 1000, reopenMaxMs: 8000 },
    });
    modem.start();
    await clock.advanceAsync(0);
    expect(attempts).toBe(1);
    expect(modem.state).toBe('disconnected');
    expect(modem.status().reason).toMatch(/No such file/);
    const seen: number[] = [];
    for (const step of [1000, 2000, 4000, 8000, 8000]) {
      await clock.advanceAsync(step - 1);
      seen.push(attempts);
      await clock.advanceAsync(1);
      seen.push(attempts);
    }
    expect(seen).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    plugged = true;
    await clock.advanceAsync(8000);
    expect(attempts).toBe(7);
    await waitFor('ready after the device returned', () => modem!.state === 'ready', 5000);
  });
});
