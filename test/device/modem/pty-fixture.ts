import { afterEach } from 'vitest';
import type { ModemSimOptions } from '../../../device/modem/index.js';
import { openSerial, type SerialClient, startTestModemSim, type TestModemSim } from '../../helpers/sim.js';

export interface PtyModem {
  sim: TestModemSim;
  serial: SerialClient;
}

/**
 * A fresh simulator on a real pty with a serialport client per test (state never leaks between tests); both are
 * closed after each test.
 */
export function usePtyModem(): (options?: Partial<ModemSimOptions>) => Promise<PtyModem> {
  const open: PtyModem[] = [];
  afterEach(async () => {
    for (const { sim, serial } of open.splice(0)) {
      await serial.close();
      await sim.close();
    }
  });
  return async (options = {}) => {
    const sim = await startTestModemSim(options);
    const serial = await openSerial(sim.path);
    const entry = { sim, serial };
    open.push(entry);
    // Boot URCs may still be on their way through socat when the port opens; one answered AT puts them behind us
    // (a PIN-locked or hung modem still answers AT).
    await serial.at.command('AT');
    return entry;
  };
}
