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

export interface SimulationOptions {
  apiHost: string;
  apiPort: number;
  accountSid?: string;
  authToken?: string;
  /** Use this broker instead of starting the embedded one. */
  mqttUrl?: string;
  mqttPort: number;
  baseTopic: string;
  profile: 'generic' | 'quectel' | 'simcom' | 'ublox' | 'huawei';
  simName: string;
  logger: Logger;
  version: string;
}

export interface Simulation {
  emulator: WirelessEmulator;
  modem: RunningModemSim;
  mqttUrl: string;
  embeddedBroker: boolean;
  stateDir: string;
  simSid: string;
  iccid: string;
  /** The UDP port the daemon takes IP Commands on (the DevicePort to give the emulator's /IpCommands). */
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
  try {
    const modem = await startModemSim({
      link: join(stateDir, 'ttySIM0'),
      profile: options.profile,
      control: { host: '127.0.0.1', port: 0 },
      // The simulated SIM has a data session: 127.0.0.1 plays its address, so IP Commands work out of the box.
      pdpAddress: '127.0.0.1',
    });
    cleanups.push(() => modem.close());
    const emulator = await startWirelessEmulator({
      host: options.apiHost,
      port: options.apiPort,
      ...(options.accountSid ? { accountSid: options.accountSid } : {}),
      ...(options.authToken ? { authToken: options.authToken } : {}),
      sims: [
        { modem: modem.modem, uniqueName: options.simName, friendlyName: 'Simulated gateway', ipAddress: '127.0.0.1' },
      ],
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
    const loaded = loadConfig({
      env: {},
      defaultConfigPath: join(stateDir, 'no-config.yaml'),
      flags: {
        'serial.path': modem.path,
        'mqtt.url': mqttUrl,
        'mqtt.version': options.mqttUrl ? 5 : 4,
        'mqtt.base_topic': options.baseTopic,
        'mqtt.client_id': 'm2m-bridge-simulate',
        'store.path': join(stateDir, 'journal.db'),
        'modem.sweep_interval_seconds': 30,
        // IP Commands on loopback: the emulator sends from 127.0.0.1 and takes replies at its 100.64.0.1 stand-in.
        'ip_commands.enabled': true,
        'ip_commands.listen_address': '127.0.0.1',
        'ip_commands.listen_port': ipDevicePort,
        'ip_commands.mo_address': '127.0.0.1',
        'ip_commands.mo_port': emulator.ipCommands.listenAddress.port,
        'ip_commands.allowed_sources': ['127.0.0.1'],
      },
    });
    const daemon = new Daemon({ loaded, logger: options.logger, version: options.version });
    cleanups.push(() => daemon.stop());
    await daemon.start();
    const [sim] = [...emulator.network.sims.values()];
    return {
      emulator,
      modem,
      mqttUrl,
      embeddedBroker: !options.mqttUrl,
      stateDir,
      simSid: sim?.sid ?? '',
      iccid: sim?.iccid ?? '',
      ipDevicePort,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
