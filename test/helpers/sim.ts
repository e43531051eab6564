import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { type ModemSimOptions, type RunningModemSim, startModemSim } from '../../device/modem/index.js';
import { SimAtClient } from './sim-at-client.js';

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
    // A PIN-locked modem only gets as far as answering AT; everything else waits for SMS to be ready.
    if (options.pin) await running.modem.whenPoweredOn();
    else await running.modem.whenReady();
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

export interface SerialClient {
  port: SerialPort;
  at: SimAtClient;
  close(): Promise<void>;
}

/** Opens the simulator's device path with the `serialport` package, as the daemon would, plus an AT client on it. */
export async function openSerial(path: string, baudRate = 115200): Promise<SerialClient> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  port.on('error', () => {});
  return {
    port,
    at: new SimAtClient(port),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) resolve();
        else port.close(() => resolve());
      }),
  };
}
