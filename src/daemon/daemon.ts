import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { transportForPath } from '../at/serial-transport.js';
import type { TransportFactory } from '../at/transport.js';
import { Bridge, MqttConnection, type Origin, probeBaseTopic, topicsFor } from '../bridge/index.js';
import { productProfile, senderPolicy, submitOptionsFor } from '../commands/index.js';
import type { LoadedConfig } from '../config/load.js';
// redact.js, not the config index: the index brings zod, which the daemon must not keep (cli/run.ts says why).
import { configSummary } from '../config/redact.js';
import { canSend, Modem, type ModemTiming } from '../modem/index.js';
import { encodeSubmit } from '../sms/index.js';
import { openSqliteJournal, type ReplyEntry, type SqliteJournal } from '../store/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { createAtAction } from './at-action.js';
import { claimJournalOrRefuse, refuseSharedBaseTopic, refuseSharedSerialDevice, thisHolder } from './conflicts.js';
import type { DataLinkProbe } from './data-link.js';
import { withDeadline } from './deadline.js';
import type { IpLink } from './ip-link.js';
import { logLevelAction, restartAction } from './lifecycle-actions.js';
import { identityView, ModemAdapter } from './modem-adapter.js';
import { readModemDetail } from './modem-detail.js';
import { Operations } from './operations.js';
import { JournalRefusedPins } from './refused-pins.js';

export interface DaemonOptions {
  loaded: LoadedConfig;
  logger: Logger;
  version: string;
  clock?: Clock;
  /** The modem's byte pipe; default: serial.path as a serial device, or tcp://host:port (ser2net). */
  transportFactory?: TransportFactory;
  modemTiming?: Partial<ModemTiming>;
  /** How long stop() may take before it gives up waiting (the brief: within 10 s). */
  stopBudgetMs?: number;
  /**
   * Refuse to start on a serial device, journal or base topic another daemon holds (conflicts.ts). Default true;
   * the device check is skipped anyway when transportFactory replaces the serial port.
   */
  checkConflicts?: boolean;
  /**
   * Called once when `bridge/request/restart` was answered: the caller stops the daemon and exits with EXIT.restart
   * (the `run` command). Without it the daemon offers no `restart` action (an embedded daemon has nobody to restart it).
   */
  onRestartRequest?: (reason: string) => void;
}

/**
 * How long `modem/restart` lets a reply being handed to the modem finish before it stops the driver (a send cut
 * short after its PDU was written is reported failed as outcome_unknown, never resent). AT+CMGS can take more than
 * 10 s to answer (FACTS.md); a modem that needs restarting may also never answer.
 */
const RESTART_SEND_GRACE_MS = 15_000;

/** Encoding is deterministic per reply: a retry re-encodes the same parts with the same concatenation reference. */
function concatReferenceFor(reply: ReplyEntry): number {
  return Number.parseInt(createHash('sha256').update(reply.id).digest('hex').slice(0, 2), 16);
}

/** The config without where the SIM PIN comes from, to tell whether anything but the PIN changed. */
function withoutPin(config: LoadedConfig['config']): string {
  const { pin: _pin, pin_file: _pinFile, ...modem } = config.modem;
  return JSON.stringify({ ...config, modem });
}

/**
 * The composition root (ARCHITECTURE.md, src/daemon): start config → store → MQTT → modem, stop in reverse order.
 * Nothing here exits the process: the caller (the `run` command) owns signals and exit codes.
 */
export class Daemon {
  private journal: SqliteJournal | null = null;
  private connection: MqttConnection | null = null;
  private bridge: Bridge | null = null;
  private modem: Modem | null = null;
  /** The IP Commands socket when ip_commands.enabled (ip-link.ts). */
  private ipLink: IpLink | null = null;
  private dataLink: DataLinkProbe | null = null;
  /** Retention, the status request, metrics, Home Assistant (operations.ts). */
  private ops: Operations | null = null;
  private stopping: Promise<void> | null = null;
  private readonly clock: Clock;
  private readonly log: Logger;
  /** The SIM's ICCID as last read, so payloads keep naming it while the driver restarts. */
  private iccid: string | null = null;
  /** PINs the SIM refused, kept in the journal: neither a fresh driver (`modem/restart`) nor a restart sends one again. */
  private readonly refusedPins: JournalRefusedPins;
  /** The SIM PIN as last loaded (start or reload). */
  private pin: string | null;

  constructor(private readonly options: DaemonOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger;
    this.pin = options.loaded.secrets.modem_pin;
    this.refusedPins = new JournalRefusedPins(() => this.journal, this.log);
  }

  /**
   * SIGHUP: the config was read again. The SIM PIN (modem.pin or the contents of modem.pin_file) is applied at once —
   * a blocked SIM is rechecked now with it; a refused PIN is still never sent — the rest needs a restart.
   */
  reload(loaded: LoadedConfig): void {
    const pin = loaded.secrets.modem_pin;
    const pinChanged = pin !== this.pin;
    this.pin = pin;
    const restartNeeded = withoutPin(loaded.config) !== withoutPin(this.options.loaded.config);
    this.log.info(
      { pin_changed: pinChanged, restart_needed: restartNeeded },
      restartNeeded
        ? 'config reloaded: the SIM PIN is applied now; restart the daemon to apply the other changes'
        : 'config reloaded: the SIM PIN is applied now',
    );
    this.modem?.reloaded(pin ?? undefined);
  }

  /** Resolves once every part is running (the modem may still be initialising; that is reported, not awaited). */
  async start(): Promise<void> {
    const { config, secrets, tls } = this.options.loaded;
    const now = () => this.clock.now();

    // 1. The journal: nothing is read from the modem or accepted from MQTT before it is open.
    const journal = openSqliteJournal({ path: config.store.path, now });
    this.journal = journal;
    const instance = config.instance.name ?? null;
    const checkConflicts = this.options.checkConflicts ?? true;
    // Before anything in it changes (interrupted replies below): the journal may be another live daemon's.
    if (checkConflicts) claimJournalOrRefuse(journal, thisHolder(instance, config.mqtt.base_topic, now()));
    const interrupted = journal.recoverInterrupted(config.commands.resend_interrupted ? 'retry' : 'fail');
    if (interrupted.length > 0) {
      this.log.warn(
        { replies: interrupted.map((r) => r.id), policy: config.commands.resend_interrupted ? 'retry' : 'fail' },
        'replies were mid-send when the bridge stopped',
      );
    }
    const ops = new Operations({
      config,
      journal,
      now,
      clock: this.clock,
      logger: this.log,
      version: this.options.version,
      identity: () => identityView(this.requireModem().status()),
    });
    this.ops = ops;

    // 2. MQTT and the bridge.
    const topics = topicsFor(config.mqtt.base_topic);
    const clientId = config.mqtt.client_id ?? `m2m-bridge-${hostname()}`;
    const credentials = {
      protocolVersion: config.mqtt.version,
      ...(config.mqtt.username ? { username: config.mqtt.username } : {}),
      ...(secrets.mqtt_password !== null ? { password: secrets.mqtt_password } : {}),
      ...(tls.ca ? { ca: Buffer.from(tls.ca) } : {}),
      ...(tls.cert ? { cert: Buffer.from(tls.cert) } : {}),
      ...(secrets.mqtt_key ? { key: Buffer.from(secrets.mqtt_key) } : {}),
    };
    if (checkConflicts) await this.refuseSharedModemOrTopic(topics, clientId, credentials);
    const connection = new MqttConnection({
      url: config.mqtt.url,
      clientId,
      keepaliveSeconds: config.mqtt.keepalive_seconds,
      ...credentials,
      will: { topic: topics.bridgeState, payload: JSON.stringify({ state: 'offline' }) },
      subscriptions: [topics.commandSend, topics.requestFilter],
      logger: this.log.child({ component: 'mqtt' }),
      clock: this.clock,
    });
    this.connection = connection;
    // Loaded only when enabled: node:dgram and src/ip stay out of a daemon that never opens the socket (≈ 0.6 MB).
    const ip = config.ip_commands.enabled
      ? { ...(await import('./ip-link.js')), ...(await import('./data-link.js')) }
      : null;
    const ipLink = ip
      ? new ip.IpLink({
          config: config.ip_commands,
          now,
          clock: this.clock,
          logger: this.log.child({ component: 'ip' }),
        })
      : null;
    this.ipLink = ipLink;
    await ipLink?.start();
    const profile = productProfile(config.commands.product);
    const adapter = new ModemAdapter(
      () => this.modem,
      () => this.restartModem(),
      () => this.dataLink?.view ?? null,
    );
    const bridge = new Bridge({
      connection,
      journal,
      topics,
      profile,
      senders: senderPolicy(profile, config.commands.allowed_senders),
      reply: { profile, allowMultipart: config.commands.allow_multipart, maxParts: config.commands.max_reply_parts },
      publishRejected: config.commands.publish_rejected,
      multipartTimeoutMs: config.commands.multipart_timeout_seconds * 1000,
      transmitter: adapter,
      encode: (reply) =>
        encodeSubmit({
          ...submitOptionsFor(reply),
          statusReport: config.commands.status_reports,
          concatReference: concatReferenceFor(reply),
        }),
      modem: adapter,
      origin: (): Origin => ({ instance, iccid: this.currentIccid() }),
      info: () => ({
        version: this.options.version,
        instance,
        client_id: clientId,
        pid: process.pid,
        hostname: hostname(),
        product: profile.name,
        short_code: profile.short_code,
        modem: this.modem ? identityView(this.modem.status()) : null,
        config: configSummary(config),
        storage: ops.storage(),
      }),
      clock: this.clock,
      logger: this.log.child({ component: 'bridge' }),
      sendRetry: {
        minMs: config.commands.send_retry_initial_seconds * 1000,
        maxMs: config.commands.send_retry_max_seconds * 1000,
        maxAttempts: config.commands.send_max_attempts,
      },
      // `bridge/request/at`: the technician console's read-only queries, on the driver's own channel.
      actions: {
        at: createAtAction({
          run: (command, options) => this.requireModem().runCommand(command, options),
          vendorQueries: () => this.requireModem().consoleQueries(),
        }),
        status: ops.statusAction(connection, adapter, {
          modemDetail: () => readModemDetail(this.clock, this.modem),
          paths: {
            config_file: this.options.loaded.file === null ? null : resolve(this.options.loaded.file),
            serial_port: config.serial.path,
            journal: config.store.path,
          },
        }),
        log_level: logLevelAction(this.log),
        ...(this.options.onRestartRequest ? { restart: restartAction(this.options.onRestartRequest, this.log) } : {}),
      },
      ...(ipLink
        ? {
            ipCommands: {
              port: ipLink,
              destination: { address: config.ip_commands.mo_address, port: config.ip_commands.mo_port },
              payloadMode: config.ip_commands.payload_mode,
            },
          }
        : {}),
    });
    this.bridge = bridge;
    bridge.start();
    connection.start();
    await ops.start({ bridge, connection, modem: adapter, topics });

    // 3. The modem, last: what it reads goes into the journal opened above.
    this.modem = this.createModem();
    this.modem.start();
    if (ip && ipLink) {
      this.dataLink = new ip.DataLinkProbe({
        interfaceName: config.ip_commands.interface ?? null,
        run: (command, options) => this.requireModem().runCommand(command, options),
        listening: () => ipLink.address,
        onChange: () => bridge.modemChanged(),
        clock: this.clock,
        logger: this.log.child({ component: 'data-link' }),
      });
      this.dataLink.start();
    }
  }

  /** Another daemon on this modem or under this base topic ends the start here, before anything is published. */
  private async refuseSharedModemOrTopic(
    topics: ReturnType<typeof topicsFor>,
    clientId: string,
    credentials: { protocolVersion: 4 | 5 },
  ): Promise<void> {
    const { config } = this.options.loaded;
    if (!this.options.transportFactory) {
      const serial = await refuseSharedSerialDevice(config.serial.path, config.serial.baud_rate);
      if (serial.lockedByUnknown) this.log.warn(`serial device locked by another process: ${serial.lockedByUnknown}`);
    }
    const probe = await probeBaseTopic({
      url: config.mqtt.url,
      topics,
      clientId,
      client: credentials,
      clock: this.clock,
    });
    if (!probe.checked)
      this.log.info({ reason: probe.reason }, 'broker not reachable: base topic not checked for another daemon');
    refuseSharedBaseTopic(probe, config.mqtt.base_topic, config.mqtt.url);
  }

  private currentIccid(): string | null {
    try {
      this.iccid = this.modem?.status().identity.iccid ?? this.iccid;
    } catch {
      // the driver is being replaced: keep the last one read
    }
    return this.iccid;
  }

  private createModem(): Modem {
    const { config } = this.options.loaded;
    const bridge = this.bridge!;
    const modem = new Modem({
      transportFactory:
        this.options.transportFactory ??
        (() => transportForPath(config.serial.path, { baudRate: config.serial.baud_rate })),
      clock: this.clock,
      logger: this.log.child({ component: 'modem' }),
      consumer: bridge.consumer,
      ...(this.pin !== null ? { pin: this.pin } : {}),
      refusedPins: this.refusedPins,
      storage: config.modem.storage,
      profile: config.modem.profile,
      timing: {
        sweepIntervalMs: config.modem.sweep_interval_seconds * 1000,
        idleSweepIntervalMs: config.modem.idle_sweep_interval_seconds * 1000,
        statusIntervalMs: config.modem.status_interval_seconds * 1000,
        simRecheckMinMs: config.modem.sim_recheck_seconds * 1000,
        simRecheckMaxMs: config.modem.sim_recheck_max_seconds * 1000,
        ...this.options.modemTiming,
      },
    });
    modem.on('state', ({ state, previous, reason }) => {
      this.ops?.modemState(state, previous, reason);
      bridge.modemChanged();
      if (canSend(state)) {
        bridge.modemReady();
        void this.dataLink?.probe();
      }
      // The identity (IMEI, ICCID …) is read during init, before the SIM check: bridge/info carries it now, also for
      // a locked SIM (published only when it changed).
      if (previous === 'initializing') bridge.infoChanged();
    });
    modem.on('status', () => bridge.modemChanged());
    return modem;
  }

  private requireModem(): Modem {
    if (!this.modem) throw new Error('modem not started');
    return this.modem;
  }

  /** The `modem/restart` request: a fresh driver on the same port, with a full init and sweep. */
  private async restartModem(): Promise<void> {
    const old = this.modem;
    // No new send starts (the bridge sees no modem); the one in flight finishes on the old driver first, so stopping
    // it does not cut a +CMGS short after its PDU was written.
    this.modem = null;
    if (old && this.bridge) {
      await withDeadline(this.clock, this.bridge.sendIdle(), RESTART_SEND_GRACE_MS, 'the reply being sent').catch(
        (error) => this.log.warn({ err: error }, 'modem/restart: stopping the driver with a send in flight'),
      );
    }
    await old?.stop();
    if (this.stopping) return;
    this.modem = this.createModem();
    this.modem.start();
  }

  /**
   * Stops in reverse order within the budget: the reply sender finishes the send in flight, the modem stops, the
   * retained `bridge/state` goes `offline`, the journal closes. Safe to call twice.
   *
   * The send in flight gets whatever the budget leaves after a reserve for the steps after it. If it is still not
   * answered then (AT+CMGS can take more than 10 s, FACTS.md), stopping the modem cancels it: a PDU already written
   * makes it `failed` with `outcome_unknown` (never resent), one not yet written leaves the reply queued. That outcome
   * is journaled before the journal closes, and published after the next start.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopInOrder();
    return this.stopping;
  }

  private async stopInOrder(): Promise<void> {
    const budget = this.options.stopBudgetMs ?? 9_000;
    const started = this.clock.now();
    const left = () => Math.max(100, budget - (this.clock.now() - started));
    const step = async (name: string, run: () => Promise<void> | void, limitMs: number) => {
      try {
        await withDeadline(this.clock, Promise.resolve().then(run), Math.max(100, Math.min(left(), limitMs)), name);
      } catch (error) {
        this.log.warn({ err: error, step: name }, 'shutdown step did not finish cleanly');
      }
    };
    this.dataLink?.stop();
    await step('operations', () => this.ops?.stop(), budget * 0.1);
    // The send in flight gets the rest of the budget but a reserve for what follows: the modem's stop (its loop ends
    // as soon as the channel closes), the cut-short send's outcome, the offline publish and the journal's close.
    const bridgeStopped = this.bridge?.stop();
    await step('bridge', () => bridgeStopped, left() - budget * 0.25);
    await step('modem', () => this.modem?.stop(), budget * 0.15);
    // A send the modem's stop cut short records its outcome now, before the journal closes, so it survives the restart.
    await step('bridge (outcome of the send cut short)', () => bridgeStopped, budget * 0.05);
    await step('ip commands socket', () => this.ipLink?.stop(), budget * 0.05);
    const topics = this.connection ? topicsFor(this.options.loaded.config.mqtt.base_topic) : null;
    await step(
      'mqtt',
      () =>
        this.connection?.stop(
          topics
            ? { topic: topics.bridgeState, payload: JSON.stringify({ state: 'offline' }), retain: true }
            : undefined,
          left(),
        ),
      budget * 0.5,
    );
    await step('journal', () => this.journal?.close(), budget);
    this.log.info({ took_ms: this.clock.now() - started }, 'stopped');
  }
}
