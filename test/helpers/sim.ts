import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ModemSimOptions, type RunningModemSim, startModemSim } from '../../device/modem/index.js';

export interface TestModemSim extends RunningModemSim {
  /** Temporary directory holding the link (removed by close()). */
  dir: string;
}

/**
 * Starts a simulated modem on a pty whose link lives in a fresh temporary directory, and waits until the modem is
 * ready for SMS. `close()` ends socat (by PID), the control server and the modem, and removes the directory.
 */
export async function startTestModemSim(options: Partial<ModemSimOptions> = {}): Promise<TestModemSim> {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-sim-'));
  const link = options.link ?? join(dir, 'ttySIM0');
  let running: RunningModemSim;
  try {
    running = await startModemSim({ bootDelayMs: 5, smsReadyDelayMs: 5, ...options, link });
    await running.modem.whenReady();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const close = running.close;
  return Object.assign(running, {
    dir,
    close: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
