import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModemSimOptions } from '../../device/modem/index.js';
import { loadConfig } from '../../src/config/index.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { ModemTiming } from '../../src/modem/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { daemonConfig } from './daemon.js';
import { MosquittoBroker } from './mosquitto.js';
import { TestSubscriber } from './mqtt-client.js';
import { startTestModemSim, type TestModemSim } from './sim.js';

/** The daemon in this process, on a simulated modem (pty) and a real Mosquitto, with a local program on `<base>/#`. */
export interface InProcessRig {
  broker: MosquittoBroker;
  sim: TestModemSim;
  daemon: Daemon;
  app: TestSubscriber;
  dir: string;
  storePath: string;
  /** Stops the daemon (again: safe), then the subscriber, the simulator, the broker if the rig started it, the files. */
  close(): Promise<void>;
}

export interface InProcessRigOptions {
  base: string;
  sim?: Partial<ModemSimOptions>;
  /** Runs on the simulator before the daemon starts (e.g. a fault that must be there at its first init). */
  beforeDaemon?: (sim: TestModemSim) => void;
  /** Config sections beyond the basics (daemonConfig). */
  config?: Record<string, Record<string, unknown>>;
  /** Driver timings only the in-process daemon can set (status poll, reopen pause). */
  modemTiming?: Partial<ModemTiming>;
  /** A broker the test file shares; otherwise the rig starts (and closes) its own. */
  broker?: MosquittoBroker;
}

export async function startInProcessRig(options: InProcessRigOptions): Promise<InProcessRig> {
  const broker = options.broker ?? (await MosquittoBroker.start());
  const sim = await startTestModemSim({ profile: 'quectel', ...options.sim });
  options.beforeDaemon?.(sim);
  const dir = mkdtempSync(join(tmpdir(), 'm2m-rig-'));
  const storePath = join(dir, 'journal.db');
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    daemonConfig(
      { serialPath: sim.path, mqttUrl: broker.url, baseTopic: options.base, storePath },
      options.config ?? {},
    ),
    { mode: 0o600 },
  );
  const app = await TestSubscriber.connect(broker.url, [`${options.base}/#`]);
  const daemon = new Daemon({
    loaded: loadConfig({ configPath: file, env: {}, flags: {} }),
    logger: silentLogger(),
    version: 'test',
    ...(options.modemTiming ? { modemTiming: options.modemTiming } : {}),
  });
  await daemon.start();
  return {
    broker,
    sim,
    daemon,
    app,
    dir,
    storePath,
    close: async () => {
      await daemon.stop();
      await app.close();
      await sim.close();
      if (!options.broker) await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
