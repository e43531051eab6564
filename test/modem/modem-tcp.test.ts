import { afterEach, describe, expect, it } from 'vitest';
import { transportForPath } from '../../src/at/serial-transport.js';
import { Modem } from '../../src/modem/modem.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';
import { FAST_TIMING, RecordingConsumer } from './harness.js';

let sim: TestModemSim | undefined;
let modem: Modem | undefined;
afterEach(async () => {
  await modem?.stop();
  await sim?.close();
});

describe('Modem over TCP (ser2net-style remote serial)', () => {
  it('initialises and receives through tcp://host:port', async () => {
    sim = await startTestModemSim({ profile: 'ublox', tcp: { host: '127.0.0.1', port: 0 } });
    const url = `tcp://127.0.0.1:${sim.tcpAddress!.port}`;
    const consumer = new RecordingConsumer();
    modem = new Modem({
      transportFactory: () => transportForPath(url),
      clock: systemClock,
      logger: silentLogger(),
      consumer,
      timing: FAST_TIMING,
    });
    modem.start();
    await waitFor('ready over TCP', () => modem!.state === 'ready', 15_000);
    expect(modem.status().identity.manufacturer).toBe('u-blox');
    sim.modem.injectSms({ from: '2936', text: 'over tcp' });
    await waitFor('message over TCP', () => consumer.accepted.length === 1, 10_000);
    expect(consumer.texts()).toEqual(['over tcp']);
  });
});
