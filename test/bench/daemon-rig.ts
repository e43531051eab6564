import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { DaemonProcess } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';
import { serviceNodeOptions } from './service-options.js';

/**
 * The whole product as a user runs it, for benchmarks and the soak: the built daemon (`m2m-bridge run`, its own
 * process, so its RSS and CPU are its own), the simulator on a real pty (optionally paced at a baud rate), a real
 * Mosquitto, the journal on disk, and one MQTT client playing the local application. The application keeps no
 * message list, only callbacks, so a 50,000-command run does not measure the test's own memory.
 */
export interface RigOptions {
  /** Pace the simulator's output at this serial rate; unpaced when absent. */
  baud?: number;
  /** Daemon log level; `warn` keeps a long run's log pipe quiet. */
  logLevel?: string;
  /** Simulator storage capacities (messages). */
  storage?: { SM?: number; ME?: number; SR?: number };
  /** Simulator AT log entries kept (benchmarks count the dialogue's bytes from it). Default 200. */
  logLimit?: number;
}

export interface CommandMessage {
  id: string;
  body: string;
  mode: string;
  partial: boolean;
}

export interface StatusMessage {
  transaction: string | null;
  status: string;
  error: { code: string; message: string } | null;
}

export class DaemonRig {
  commandListener: (command: CommandMessage, at: number) => void = () => {};
  statusListener: (status: StatusMessage, at: number) => void = () => {};
  private modemReady = false;

  private constructor(
    readonly dir: string,
    readonly base: string,
    readonly broker: MosquittoBroker,
    readonly sim: TestModemSim,
    readonly app: MqttClient,
    readonly daemon: DaemonProcess,
  ) {}

  get pid(): number {
    const pid = this.daemon.child.pid;
    if (pid === undefined) throw new Error('daemon has no pid');
    return pid;
  }

  static async start(options: RigOptions = {}): Promise<DaemonRig> {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-rig-'));
    const base = `rig${process.pid}`;
    const broker = await MosquittoBroker.start();
    const sim = await startTestModemSim({
      profile: 'generic',
      ...(options.baud ? { baud: options.baud } : {}),
      storage: { SM: 255, ME: 255, SR: 255, ...options.storage },
      logLimit: options.logLimit ?? 200,
    });
    const app = await mqtt.connectAsync(broker.url, { clientId: `app-${base}`, reconnectPeriod: 100 });
    await app.subscribeAsync(
      [`${base}/command/received`, `${base}/command/status`, `${base}/modem/state`, `${base}/bridge/state`],
      { qos: 1 },
    );
    const config = [
      'serial:',
      `  path: ${sim.path}`,
      'mqtt:',
      `  url: ${broker.url}`,
      `  base_topic: ${base}`,
      `  client_id: daemon-${base}`,
      'store:',
      `  path: ${join(dir, 'journal.db')}`,
      'log:',
      `  level: ${options.logLevel ?? 'warn'}`,
      '',
    ].join('\n');
    // The daemon runs with the NODE_OPTIONS the shipped systemd unit sets, so the figures are those of a gateway.
    // BENCH_DAEMON_NODE_OPTIONS overrides them (an empty value measures V8's defaults).
    const nodeOptions = process.env.BENCH_DAEMON_NODE_OPTIONS ?? serviceNodeOptions();
    const daemon = DaemonProcess.start(dir, config, nodeOptions ? { NODE_OPTIONS: nodeOptions } : {});
    const rig = new DaemonRig(dir, base, broker, sim, app, daemon);
    app.on('message', (topic, payload) => rig.route(topic, payload));
    try {
      await waitFor('modem ready on modem/state', () => rig.modemReady || daemon.child.exitCode !== null, 30_000);
      if (daemon.child.exitCode !== null) throw new Error(`daemon exited: ${daemon.output.slice(-2000)}`);
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  /** Publishes a reply as a local program would (QoS 1, resolved on the PUBACK, i.e. after the journal commit). */
  reply(body: string, transaction: string): Promise<unknown> {
    return this.app.publishAsync(`${this.base}/command/send`, JSON.stringify({ body, transaction }), { qos: 1 });
  }

  private route(topic: string, payload: Buffer): void {
    const at = performance.now();
    const suffix = topic.slice(this.base.length + 1);
    if (suffix === 'command/received') this.commandListener(JSON.parse(payload.toString('utf8')), at);
    else if (suffix === 'command/status') this.statusListener(JSON.parse(payload.toString('utf8')), at);
    else if (suffix === 'modem/state' && payload.toString('utf8').includes('"status":"ready"')) this.modemReady = true;
  }

  /** Stops the daemon with SIGTERM (as systemd would), then the client, simulator and broker; removes the files. */
  async close(): Promise<void> {
    try {
      await this.daemon.signal('SIGTERM', 15_000);
    } catch {
      await this.daemon.kill();
    }
    await this.app.endAsync(true).catch(() => {});
    await this.sim.close();
    await this.broker.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
