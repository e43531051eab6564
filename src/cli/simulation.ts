import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { type RunningModemSim, startModemSim } from '../../device/modem/index.js';
import { startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { loadConfig } from '../config/index.js';
import { Daemon } from '../daemon/index.js';
import type { Logger } from '../util/logger.js';

interface SimulationOptions {
  apiHost: string;
  apiPort: number;
  accountSid?: string;
  authToken?: string;
  /** Use this broker instead of starting the embedded one. */
  mqttUrl?: string;
  mqttPort: number;
  baseTopic: string;
  profile: SimProfile;
  simName: string;
  /**
   * How many modems, each with its own SIM and its own daemon (one per modem, as on a gateway with several).
   * Default 1: one unnamed daemon under baseTopic. With more, instance lte<n> publishes under <baseTopic>/lte<n>.
   */
  modems?: number;
  /** The dialect of each modem after the first (which is `profile`); default: a different vendor for each. */
  profiles?: SimProfile[];
  logger: Logger;
  version: string;
}

export type SimProfile = 'generic' | 'quectel' | 'simcom' | 'ublox' | 'huawei';

/** The dialects `--modems N` gives its modems by default: a different vendor each, as on a mixed gateway. */
const DEFAULT_PROFILES: readonly SimProfile[] = ['quectel', 'simcom', 'ublox', 'huawei'];

/** One modem of the simulation with its SIM and its daemon. */
interface SimulatedInstance {
  /** instance.name of its daemon; null in the one-modem simulation (an unnamed daemon). */
  instance: string | null;
  profile: SimProfile;
  modem: RunningModemSim;
  simName: string;
  simSid: string;
  iccid: string;
  baseTopic: string;
  /** Its daemon's journal (store.path), for `m2m-bridge history --store-path` while the demo runs. */
  journalPath: string;
}

export interface Simulation {
  emulator: WirelessEmulator;
  /** The first modem (the only one without --modems). */
  modem: RunningModemSim;
  instances: SimulatedInstance[];
  mqttUrl: string;
  embeddedBroker: boolean;
  stateDir: string;
  simSid: string;
  iccid: string;
  /** The first daemon's journal (the only one without --modems). */
  journalPath: string;
  /** The UDP port the first daemon takes IP Commands on (the DevicePort to give the emulator's /IpCommands). */
  ipDevicePort: number;
  stop(): Promise<void>;
}

/** A UDP port the kernel just handed out on 127.0.0.1 (closed again, so the daemon can bind it). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function startEmbeddedBroker(port: number): Promise<{ url: string; close(): Promise<void> }> {
  // aedes speaks MQTT 3.1.1, so the daemon is configured for version 4 when it uses this broker.
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    // The broker has timers of its own: close it, or the process would linger after reporting the error.
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `MQTT port ${port} is already in use (a Mosquitto running?): use it with --mqtt-url mqtt://127.0.0.1:${port}, or pick another port with --mqtt-port`,
    );
  }
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `mqtt://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => broker.close(() => resolve()));
        // Clients (the daemon is already stopped) may hold sockets open; closing the broker ends them.
        broker.close();
      }),
  };
}

/**
 * Everything `m2m-bridge simulate` runs, in one process: a simulated modem on a pty, the Wireless API emulator
 * routing Commands to it, an MQTT broker (embedded aedes unless one is given), and the real daemon on top — the
 * same Daemon as `m2m-bridge run`, talking to the modem over the pty like it would to /dev/ttyUSB2.
 */
export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const stateDir = mkdtempSync(join(tmpdir(), 'm2m-bridge-simulate-'));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(stateDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        options.logger.warn({ err: error }, 'simulate: cleanup step failed');
      }
    }
  };
  const count = options.modems ?? 1;
  const named = count > 1;
  try {
    const plans = Array.from({ length: count }, (_, i) => {
      const instance = named ? `lte${i + 1}` : null;
      const profile =
        i === 0 ? options.profile : (options.profiles?.[i - 1] ?? DEFAULT_PROFILES[i % DEFAULT_PROFILES.length]!);
      return {
        instance,
        profile,
        simName: instance ? `${options.simName}-${instance}` : options.simName,
        // Each SIM its own ICCID (ITU-T E.118: 89 + country 01 + issuer 260 + serial), as two real SIMs have.
        iccid: `89012600000000000${String(i + 1).padStart(2, '0')}`,
        baseTopic: instance ? `${options.baseTopic}/${instance}` : options.baseTopic,
        journalPath: join(stateDir, instance ? `${instance}.db` : 'journal.db'),
      };
    });
    const modems: RunningModemSim[] = [];
    for (const [i, plan] of plans.entries()) {
      const modem = await startModemSim({
        link: join(stateDir, `ttySIM${i}`),
        profile: plan.profile,
        iccid: plan.iccid,
        control: { host: '127.0.0.1', port: 0 },
        // The first SIM has a data session: 127.0.0.1 plays its address, so IP Commands work out of the box. (The
        // emulator tells SIMs apart by their address; the others have SMS only, which keeps the demo on 127.0.0.1.)
        ...(i === 0 ? { pdpAddress: '127.0.0.1' } : {}),
      });
      cleanups.push(() => modem.close());
      modems.push(modem);
    }
    const modem = modems[0]!;
    const emulator = await startWirelessEmulator({
      host: options.apiHost,
      port: options.apiPort,
      ...(options.accountSid ? { accountSid: options.accountSid } : {}),
      ...(options.authToken ? { authToken: options.authToken } : {}),
      sims: plans.map((plan, i) => ({
        modem: modems[i]!.modem,
        uniqueName: plan.simName,
        friendlyName: plan.instance ? `Simulated gateway, modem ${plan.instance}` : 'Simulated gateway',
        ...(i === 0 ? { ipAddress: '127.0.0.1' } : {}),
      })),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      throw new Error(`API port ${options.apiPort} is already in use: pick another one with --api-port`);
    });
    cleanups.push(() => emulator.close());
    let mqttUrl = options.mqttUrl;
    if (!mqttUrl) {
      const broker = await startEmbeddedBroker(options.mqttPort);
      cleanups.push(() => broker.close());
      mqttUrl = broker.url;
    }
    const ipDevicePort = await freeUdpPort();
    // One daemon per modem, as `m2m-bridge run --instance lte<n>` would run them: own journal, topic and session.
    for (const [i, plan] of plans.entries()) {
      const loaded = loadConfig({
        env: {},
        defaultConfigPath: join(stateDir, 'no-config.yaml'),
        flags: {
          ...(plan.instance ? { 'instance.name': plan.instance } : {}),
          'serial.path': modems[i]!.path,
          'mqtt.url': mqttUrl,
          'mqtt.version': options.mqttUrl ? 5 : 4,
          'mqtt.base_topic': plan.baseTopic,
          'mqtt.client_id': plan.instance ? `m2m-bridge-simulate-${plan.instance}` : 'm2m-bridge-simulate',
          'store.path': plan.journalPath,
          'modem.sweep_interval_seconds': 30,
          // IP Commands on loopback: the emulator sends from 127.0.0.1 and takes replies at its 100.64.0.1 stand-in.
          ...(i === 0
            ? {
                'ip_commands.enabled': true,
                'ip_commands.listen_address': '127.0.0.1',
                'ip_commands.listen_port': ipDevicePort,
                'ip_commands.mo_address': '127.0.0.1',
                'ip_commands.mo_port': emulator.ipCommands.listenAddress.port,
                'ip_commands.allowed_sources': ['127.0.0.1'],
              }
            : {}),
        },
      });
      const logger = plan.instance ? options.logger.child({ instance: plan.instance }) : options.logger;
      const daemon = new Daemon({ loaded, logger, version: options.version });
      cleanups.push(() => daemon.stop());
      await daemon.start();
    }
    const sims = [...emulator.network.sims.values()];
    const instances: SimulatedInstance[] = plans.map((plan, i) => {
      const sim = sims.find((s) => s.uniqueName === plan.simName);
      return { ...plan, modem: modems[i]!, simSid: sim?.sid ?? '', iccid: sim?.iccid ?? plan.iccid };
    });
    const sim = instances[0]!;
    return {
      emulator,
      modem,
      instances,
      mqttUrl,
      embeddedBroker: !options.mqttUrl,
      stateDir,
      simSid: sim.simSid,
      iccid: sim.iccid,
      journalPath: sim.journalPath,
      ipDevicePort,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
