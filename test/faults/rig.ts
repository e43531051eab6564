import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { ModemSimOptions } from '../../device/modem/index.js';
import { openSqliteJournal, type ReplyEntry } from '../../src/store/index.js';
import { DaemonProcess } from '../helpers/daemon.js';
import type { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

export interface CommandReceived {
  id: string;
  body: string;
  from: string;
}

export interface CommandStatus {
  transaction: string | null;
  id: string | null;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  error: { code: string; message: string } | null;
}

let rigs = 0;

/**
 * One fault scenario's parts: a simulated modem on a pty, the real daemon (the built binary) with its journal in a
 * fresh directory, and a local program's view of the broker — a persistent-session subscriber on `<base>/#` that stays
 * connected while the daemon is killed and restarted, and a publisher of replies. The broker is the test file's.
 */
export class FaultRig {
  daemon: DaemonProcess | undefined;
  /** Every daemon process started, for the log lines of the dead ones. */
  readonly daemons: DaemonProcess[] = [];
  private constructor(
    readonly broker: MosquittoBroker,
    readonly sim: TestModemSim,
    readonly dir: string,
    readonly base: string,
    readonly app: TestSubscriber,
    readonly publisher: MqttClient,
    readonly storePath: string,
    private readonly extraConfig: string,
  ) {}

  static async create(
    broker: MosquittoBroker,
    options: { sim?: Partial<ModemSimOptions>; storePath?: string; config?: string } = {},
  ): Promise<FaultRig> {
    const base = `fault${process.pid}x${++rigs}`;
    const dir = mkdtempSync(join(tmpdir(), 'm2m-faults-'));
    const sim = await startTestModemSim({ profile: 'quectel', ...options.sim });
    const app = await TestSubscriber.connect(broker.url, [`${base}/#`], { clientId: `app-${base}`, clean: false });
    // The replying program: QoS 1 publishes wait in its own store while the broker is away.
    const publisher = await mqtt.connectAsync(broker.url, {
      clientId: `pub-${base}`,
      clean: false,
      reconnectPeriod: 200,
    });
    return new FaultRig(
      broker,
      sim,
      dir,
      base,
      app,
      publisher,
      options.storePath ?? join(dir, 'journal.db'),
      options.config ?? '',
    );
  }

  /**
   * The daemon's config. The storage sweep runs every 5 s (the minimum; defaults 60 s, and 600 s once +CMTI has
   * proven itself) so an SMS the journal refused (disk full) or a +CMTI lost to a fault is picked up within one
   * test's deadline — the same code path, sooner.
   */
  config(logLevel = 'info'): string {
    return [
      'serial:',
      `  path: ${this.sim.path}`,
      'modem:',
      '  sweep_interval_seconds: 5',
      '  idle_sweep_interval_seconds: 5',
      'mqtt:',
      `  url: ${this.broker.url}`,
      `  base_topic: ${this.base}`,
      `  client_id: daemon-${this.base}`,
      'store:',
      `  path: ${this.storePath}`,
      'log:',
      `  level: ${logLevel}`,
      this.extraConfig,
    ].join('\n');
  }

  startDaemon(logLevel = 'info'): DaemonProcess {
    this.daemon = DaemonProcess.start(this.dir, this.config(logLevel));
    this.daemons.push(this.daemon);
    return this.daemon;
  }

  /** SIGKILL: no shutdown code runs, exactly like a power cut of the process. */
  async killDaemon(): Promise<void> {
    await this.daemon?.kill();
  }

  /** Publishes a reply as a local program would (QoS 1); resolves on the broker's PUBACK. */
  async reply(body: string, transaction: string): Promise<void> {
    await this.publisher.publishAsync(`${this.base}/command/send`, JSON.stringify({ body, transaction }), { qos: 1 });
  }

  topic(name: string): string {
    return `${this.base}/${name}`;
  }

  commands(): CommandReceived[] {
    return this.app.on(this.topic('command/received')).map((m) => JSON.parse(m.text) as CommandReceived);
  }

  statuses(): CommandStatus[] {
    return this.app.on(this.topic('command/status')).map((m) => JSON.parse(m.text) as CommandStatus);
  }

  modemStates(): { status: string; reason: string | null }[] {
    return this.app.on(this.topic('modem/state')).map((m) => JSON.parse(m.text));
  }

  /** Waits until the latest `modem/state` published after `since` (a count of earlier states) says `ready`. */
  async waitModemReady(since = 0, deadlineMs = 30_000): Promise<void> {
    await waitFor(
      'modem/state ready',
      () => {
        const states = this.modemStates().slice(since);
        return states.length > 0 && states[states.length - 1]?.status === 'ready';
      },
      deadlineMs,
    );
  }

  /** Waits until every body in `bodies` was published on command/received. */
  async waitCommands(bodies: string[], deadlineMs = 30_000): Promise<void> {
    await waitFor(
      `${bodies.length} commands published`,
      () => {
        const seen = new Set(this.commands().map((c) => c.body));
        return bodies.every((body) => seen.has(body));
      },
      deadlineMs,
    );
  }

  /** Texts of the SMS the simulated network received from the modem. */
  sentTexts(): string[] {
    return this.sim.modem.sent().map((sms) => sms.text ?? '');
  }

  storedOnSim(): number {
    return this.sim.modem.storage().reduce((sum, memory) => (memory.memory === 'SR' ? sum : sum + memory.used), 0);
  }

  /** The journal's queue counts and unfinished replies, read beside the running daemon (for failure messages). */
  journalSummary(): string {
    const journal = openSqliteJournal({ path: this.storePath, readonly: true });
    try {
      const replies = journal
        .history({ direction: 'outbound', limit: 1000 })
        .map((item) => item.entry as ReplyEntry)
        .filter((reply) => !['sent', 'delivered', 'failed'].includes(reply.state))
        .map((r) => ({
          t: r.transaction,
          state: r.state,
          attempts: r.attempts,
          due_in_ms: r.next_attempt_at - Date.now(),
        }));
      return JSON.stringify({ counts: journal.counts(), unfinished: replies });
    } finally {
      journal.close();
    }
  }

  /** Log lines of every daemon process this rig started (the dead ones too). */
  logLines(): Record<string, unknown>[] {
    return this.daemons.flatMap((d) => d.lines);
  }

  async close(): Promise<void> {
    for (const daemon of this.daemons) await daemon.kill();
    await this.app.close();
    await this.publisher.endAsync(true);
    await this.sim.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The at-least-once check every scenario makes: each injected body was published, all copies of one command carry the
 * same id, and no id stands for two bodies. Returns the counts to print.
 */
export function checkCommands(received: CommandReceived[], injected: string[]) {
  const idsByBody = new Map<string, Set<string>>();
  const bodiesById = new Map<string, Set<string>>();
  for (const command of received) {
    if (!idsByBody.has(command.body)) idsByBody.set(command.body, new Set());
    idsByBody.get(command.body)?.add(command.id);
    if (!bodiesById.has(command.id)) bodiesById.set(command.id, new Set());
    bodiesById.get(command.id)?.add(command.body);
  }
  const missing = injected.filter((body) => !idsByBody.has(body));
  const splitIds = [...idsByBody].filter(([, ids]) => ids.size > 1).map(([body]) => body);
  const mergedBodies = [...bodiesById].filter(([, bodies]) => bodies.size > 1).map(([id]) => id);
  return {
    published: idsByBody.size,
    copies: received.length,
    duplicates: received.length - bodiesById.size,
    missing,
    splitIds,
    mergedBodies,
  };
}
