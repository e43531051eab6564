import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type mqtt from 'mqtt';
import type { ModemSimOptions } from '../../device/modem/index.js';
import { loadConfig } from '../../src/config/index.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { ModemTiming } from '../../src/modem/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { DaemonProcess, daemonConfig } from './daemon.js';
import { MosquittoBroker } from './mosquitto.js';
import { TestSubscriber } from './mqtt-client.js';
import { startTestModemSim, type TestModemSim } from './sim.js';
import { waitFor } from './wait.js';

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

/** `m2m-bridge run` as a process, on a simulated modem (pty) and a real Mosquitto, with a local program on `<base>/#`. */
export interface ProcessRig {
  broker: MosquittoBroker;
  sim: TestModemSim;
  /** The daemon running now (restart() replaces it). */
  daemon: DaemonProcess;
  app: TestSubscriber;
  dir: string;
  storePath: string;
  /** Starts the daemon again with the same config (the previous one must have ended), optionally on another journal. */
  restart(change?: { storePath?: string }): DaemonProcess;
  /** Ends the daemon (SIGTERM or SIGKILL, as chosen), then the subscriber, the simulator, the broker, the files. */
  close(): Promise<void>;
}

/** What a process rig's hook sees before the daemon first starts. */
export interface ProcessRigFiles {
  dir: string;
  storePath: string;
  sim: TestModemSim;
}

export interface ProcessRigOptions {
  /** The base topic: written to the config (except for an `instance`, which keeps its default) and subscribed to. */
  base: string;
  sim?: Partial<ModemSimOptions>;
  /** Config sections beyond the basics (daemonConfig); a function when they name the rig's files (a pin_file). */
  config?:
    | Record<string, Record<string, unknown>>
    | ((files: ProcessRigFiles) => Record<string, Record<string, unknown>>);
  /** The local program's MQTT options (e.g. a fixed clientId with clean: false, to keep its session). */
  app?: mqtt.IClientOptions;
  /** Topic filters the local program subscribes to besides `<base>/#`. */
  alsoSubscribe?: string[];
  /** Environment of the daemon process, on top of this one's. */
  env?: NodeJS.ProcessEnv;
  /** Resolve only once `<base>/modem/state` says ready (deadline 20 s). */
  waitReady?: boolean;
  /** How close() ends the daemon: SIGTERM (a clean stop, waited for) or SIGKILL (default: quick). */
  stopWith?: 'SIGTERM' | 'SIGKILL';
  /** A broker the test file shares; otherwise the rig starts (and closes) its own. */
  broker?: MosquittoBroker;
  /** Prefix of the temporary directory's name, to tell test files' leftovers apart. */
  dirPrefix?: string;
  /** The journal (e.g. a salvaged copy, or one in a directory with spaces); default `<dir>/journal.db`. */
  storePath?: string;
  /** Runs once before the daemon first starts (e.g. to fill the journal with old history). */
  beforeDaemon?: (files: ProcessRigFiles) => void;
  /**
   * Run as `m2m-bridge run --instance NAME`, its config `<configDir>/NAME.yaml` (default: the rig's dir) found through
   * M2M_BRIDGE_CONFIG_DIR; base_topic is left out, so `base` must be the instance's default m2m/NAME.
   */
  instance?: { name: string; configDir?: string };
}

export async function startProcessRig(options: ProcessRigOptions): Promise<ProcessRig> {
  const dir = mkdtempSync(join(tmpdir(), options.dirPrefix ?? 'm2m-rig-'));
  const storePath = options.storePath ?? join(dir, 'journal.db');
  const broker = options.broker ?? (await MosquittoBroker.start());
  const sim = await startTestModemSim({ profile: 'quectel', ...options.sim });
  const app = await TestSubscriber.connect(
    broker.url,
    [`${options.base}/#`, ...(options.alsoSubscribe ?? [])],
    options.app,
  );
  options.beforeDaemon?.({ dir, storePath, sim });
  const launch = (journal: string): DaemonProcess => {
    const { instance } = options;
    const yaml = daemonConfig(
      { serialPath: sim.path, mqttUrl: broker.url, baseTopic: instance ? undefined : options.base, storePath: journal },
      typeof options.config === 'function' ? options.config({ dir, storePath, sim }) : (options.config ?? {}),
    );
    return instance
      ? DaemonProcess.startInstance(instance.configDir ?? dir, instance.name, yaml, options.env)
      : DaemonProcess.start(dir, yaml, options.env);
  };
  const rig: ProcessRig = {
    broker,
    sim,
    daemon: launch(storePath),
    app,
    dir,
    storePath,
    restart: (change = {}) => {
      rig.daemon = launch(change.storePath ?? storePath);
      return rig.daemon;
    },
    close: async () => {
      try {
        if (options.stopWith === 'SIGTERM') await rig.daemon.signal('SIGTERM');
      } finally {
        await rig.daemon.kill();
        await app.close();
        await sim.close();
        if (!options.broker) await broker.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  if (options.waitReady) {
    const ready = () => app.on(`${options.base}/modem/state`).some((message) => message.text.includes('"ready"'));
    await waitFor('modem ready', ready, 20_000).catch(async (error: unknown) => {
      await rig.close();
      throw error;
    });
  }
  return rig;
}
