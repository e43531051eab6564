import type { Logger } from 'pino';
import type { ProductProfile, ReplyOptions, SenderPolicy } from '../commands/index.js';
import type { InboundEntry, Journal, ReplyEntry, StatusEvent } from '../store/index.js';
import { type Clock, type TimerHandle, unrefTimer } from '../util/clock.js';
import { AlarmRegistry } from './alarms.js';
import { BridgeEvents } from './events.js';
import { judgeHealth } from './health.js';
import { InboundIntake, type IncomingSms } from './inbound-intake.js';
import { IpCommands, type IpCommandsOptions } from './ip-commands.js';
import { JournalDrain } from './journal-drain.js';
import { ModemStatePublisher } from './modem-state-publisher.js';
import type { ModemControl } from './modem-view.js';
import type { IncomingMessage, MqttConnection } from './mqtt-connection.js';
import { type Alarm, bridgeStatePayload, commandStatusPayload, type Origin } from './payloads.js';
import { ReplyIntake } from './reply-intake.js';
import { type OutgoingPart, ReplySender, type SmsTransmitter } from './reply-sender.js';
import { type RequestAction, RequestHandler } from './requests.js';
import type { Topics } from './topics.js';

export interface BridgeOptions {
  connection: MqttConnection;
  journal: Journal;
  topics: Topics;
  profile: ProductProfile;
  senders: SenderPolicy;
  reply: ReplyOptions;
  publishRejected: boolean;
  multipartTimeoutMs: number;
  transmitter: SmsTransmitter;
  encode(reply: ReplyEntry): OutgoingPart[];
  modem: ModemControl;
  /** The retained `bridge/info` payload (version, identity, product, config summary — no secrets). */
  info(): object;
  /** Time, and every timer of the bridge (retries, the multipart check, the modem/state rate limit). */
  clock: Clock;
  logger: Logger;
  /** Least time between two `modem/state` publishes; changes in between are coalesced. Default 1000 ms. */
  modemStateIntervalMs?: number;
  sendRetry?: { minMs: number; maxMs: number; maxAttempts: number };
  /** Instance name and ICCID for command/received, sms/rejected and command/status (payloads.ts, Origin). */
  origin?: () => Origin;
  /** Extra request actions (beyond health_check, modem/restart, sweep). */
  actions?: Record<string, RequestAction>;
  /** Super SIM IP Commands over UDP (ip-commands.ts); absent when ip_commands.enabled is false. */
  ipCommands?: Pick<IpCommandsOptions, 'port' | 'destination' | 'payloadMode'>;
}

/**
 * The MQTT side, wired to the journal: inbound commands published from the journal, replies taken into it, statuses
 * and state published, requests answered. The daemon gives `intake` to the modem driver as its message consumer.
 */
export class Bridge {
  readonly intake: InboundIntake;
  /** Observers' view of what the bridge did (metrics, status, Home Assistant); see events.ts. */
  readonly events: BridgeEvents;
  private readonly inbound: JournalDrain<InboundEntry>;
  private readonly statuses: JournalDrain<StatusEvent>;
  private readonly replies: ReplyIntake;
  private readonly sender: ReplySender;
  private readonly requests: RequestHandler;
  private readonly ip: IpCommands | null;
  private readonly modemState: ModemStatePublisher;
  private multipartTimer: TimerHandle | null = null;
  private readonly onConnected = () => this.connected();
  private readonly alarms: AlarmRegistry;
  /** The last bridge/info published (infoChanged publishes only a changed one; a reconnect always repeats it). */
  private lastInfo: string | null = null;
  /**
   * The modem driver's message consumer: the intake, plus an alarm while the journal cannot commit (disk full,
   * read-only file system). The error goes back to the driver, which then leaves the message on the SIM and retries.
   */
  readonly consumer = { accept: (sms: IncomingSms) => this.acceptFromModem(sms) };

  constructor(private readonly options: BridgeOptions) {
    const { journal, topics, connection, logger, clock } = options;
    const now = () => clock.now();
    const events = new BridgeEvents(logger);
    this.events = events;
    this.alarms = new AlarmRegistry(logger, () => this.publishState());
    this.modemState = new ModemStatePublisher({
      modem: options.modem,
      clock,
      intervalMs: options.modemStateIntervalMs ?? 1_000,
      publish: (payload) => this.publishLater(topics.modemState, payload, undefined, true),
    });
    this.inbound = new JournalDrain<InboundEntry>(
      'inbound',
      {
        list: (limit) => journal.listUnpublished(limit),
        keyOf: (entry) => entry.key,
        publish: (entry) =>
          connection.publish(entry.kind === 'command' ? topics.commandReceived : topics.smsRejected, entry.payload),
        markDone: (entry) => {
          journal.markPublished(entry.key);
          events.notify('command_published', { kind: entry.kind, key: entry.key });
        },
      },
      logger,
    );
    this.statuses = new JournalDrain<StatusEvent>(
      'status',
      {
        list: (limit) => journal.listUnpublishedStatus(limit),
        keyOf: (event) => String(event.seq),
        publish: (event) =>
          connection.publish(
            topics.commandStatus,
            JSON.stringify({ ...commandStatusPayload(event), ...options.origin?.() }),
          ),
        markDone: (event) => {
          journal.markStatusPublished(event.seq);
          // A repeat (the answer to a duplicate command/send) is no new outcome: observers counted it already.
          if (event.repeated) return;
          events.notify(`reply_${event.status}`, {
            id: event.reply_id,
            transaction: event.transaction,
            error: event.error,
          });
        },
      },
      logger,
    );
    this.intake = new InboundIntake({
      journal,
      profile: options.profile,
      senders: options.senders,
      publishRejected: options.publishRejected,
      multipartTimeoutMs: options.multipartTimeoutMs,
      now,
      logger,
      onInbound: () => {
        events.notify('inbound_recorded');
        this.inbound.kick();
      },
      onStatusReport: () => this.statuses.kick(),
      ...(options.origin ? { origin: options.origin } : {}),
    });
    this.sender = new ReplySender({
      journal,
      transmitter: options.transmitter,
      encode: options.encode,
      clock,
      logger,
      onStatus: () => this.statuses.kick(),
      // A reply is not tried (and no attempt spent) while the modem is initialising or away: README promises that
      // replies wait in the journal until the modem is ready; modemReady() kicks the sender then.
      canSend: () => this.modemCanSend(),
      onJournalTrouble: (error) =>
        this.alarms.set(
          'reply_sender',
          'journal_write_failed',
          error && `the journal cannot be written (${error.message}); replies wait until it can`,
        ),
      ...(options.sendRetry ? { maxAttempts: options.sendRetry.maxAttempts, retry: options.sendRetry } : {}),
    });
    this.replies = new ReplyIntake({
      journal,
      reply: options.reply,
      now,
      logger,
      publishRejection: (payload) =>
        this.publishLater(topics.commandStatus, JSON.stringify({ ...payload, ...options.origin?.() })),
      onQueued: () => {
        this.statuses.kick();
        this.sender.kick();
      },
      onStatus: () => this.statuses.kick(),
    });
    this.ip = options.ipCommands
      ? new IpCommands({
          ...options.ipCommands,
          journal,
          now,
          logger,
          onInbound: () => {
            events.notify('inbound_recorded');
            this.inbound.kick();
          },
          onStatus: () => this.statuses.kick(),
          publishRejection: (payload) => this.publishLater(topics.commandStatus, JSON.stringify(payload)),
        })
      : null;
    this.requests = new RequestHandler({
      logger,
      actions: {
        health_check: async () => {
          // The same rule as /healthz (health.ts): a degraded modem or a standing alarm is not healthy.
          const modem = options.modem.view();
          const alarms = this.alarmList();
          return {
            ...judgeHealth({ brokerConnected: connection.connected, modem, alarms }),
            alarms,
            mqtt: connection.connected ? 'connected' : 'disconnected',
            modem,
            journal: journal.counts(),
          };
        },
        'modem/restart': async () => {
          await options.modem.restart();
          return options.modem.view();
        },
        sweep: async () => {
          await options.modem.sweep();
          return { storage: options.modem.view().storage };
        },
        ...options.actions,
      },
      respond: (reply) =>
        this.publishLater(
          reply.topic,
          JSON.stringify(reply.payload),
          reply.correlationData ? { correlationData: reply.correlationData } : undefined,
        ),
    });
  }

  /** Subscribes to the connection and starts the workers; the connection itself is started by the caller. */
  start(): void {
    this.options.connection.onMessage((message) => this.dispatch(message));
    this.options.connection.on('connected', this.onConnected);
    this.armMultipartCheck();
    this.sender.kick();
    this.inbound.kick();
    this.statuses.kick();
    this.ip?.start();
  }

  private modemCanSend(): boolean {
    try {
      return this.options.modem.canSend();
    } catch {
      return false; // the driver is not created yet (daemon start) or being replaced (modem/restart)
    }
  }

  /** Wakes the reply sender (e.g. the modem became ready again). */
  modemReady(): void {
    this.sender.kick();
  }

  /** Re-publishes the retained `bridge/info` (e.g. once the modem's identity is known). */
  infoChanged(): void {
    if (!this.options.connection.connected) return;
    const info = JSON.stringify(this.options.info());
    // Only on change: a modem that keeps failing its init must not repeat the same bridge/info every time.
    if (info === this.lastInfo) return;
    this.lastInfo = info;
    this.publishLater(this.options.topics.bridgeInfo, info, undefined, true);
  }

  /** The driver reported: `modem/state` goes out if it changed, at most once per interval (modem-state-publisher.ts). */
  modemChanged(): void {
    this.modemState.changed();
  }

  /**
   * Resolves once no reply is being handed to the modem. The sender takes no new reply while the modem cannot send
   * (the daemon's `modem/restart` clears the driver first, then waits here before stopping the old one).
   */
  sendIdle(): Promise<void> {
    return this.sender.idle();
  }

  /** Stops the workers (the send in flight finishes). The caller stops the connection afterwards. */
  async stop(): Promise<void> {
    if (this.multipartTimer) this.options.clock.clearTimeout(this.multipartTimer);
    this.multipartTimer = null;
    this.modemState.stop();
    this.options.connection.off('connected', this.onConnected);
    this.inbound.stop();
    this.statuses.stop();
    await this.ip?.stop();
    await this.sender.stop();
  }

  /** For tests and shutdown: resolves once nothing is being published or sent right now. */
  async idle(): Promise<void> {
    await Promise.all([this.inbound.idle(), this.statuses.idle(), this.sender.idle()]);
  }

  /** Publishes incomplete multipart commands as partial once they time out; checked a few times per timeout. */
  private armMultipartCheck(): void {
    const every = Math.max(1_000, Math.min(30_000, Math.floor(this.options.multipartTimeoutMs / 4)));
    this.multipartTimer = this.options.clock.setTimeout(() => {
      try {
        this.intake.expireMultipart();
      } catch (error) {
        this.options.logger.error({ err: error }, 'multipart timeout check failed');
      }
      if (this.multipartTimer) this.armMultipartCheck();
    }, every);
    unrefTimer(this.multipartTimer);
  }

  private async acceptFromModem(sms: IncomingSms): Promise<void> {
    try {
      await this.intake.accept(sms);
    } catch (error) {
      this.alarms.set(
        'inbound_intake',
        'journal_write_failed',
        `the journal cannot be written (${(error as Error).message}); SMS stay on the SIM`,
      );
      throw error;
    }
    this.alarms.set('inbound_intake', 'journal_write_failed', null);
  }

  /** The alarms `bridge/state` carries now (alarms.ts: each source raises and clears its own). */
  alarmList(): Alarm[] {
    return this.alarms.list();
  }

  private publishState(): void {
    if (!this.options.connection.connected) return;
    this.publishLater(this.options.topics.bridgeState, bridgeStatePayload('online', this.alarmList()), undefined, true);
  }

  private connected(): void {
    const { topics } = this.options;
    this.publishLater(topics.bridgeState, bridgeStatePayload('online', this.alarmList()), undefined, true);
    this.lastInfo = JSON.stringify(this.options.info());
    this.publishLater(topics.bridgeInfo, this.lastInfo, undefined, true);
    this.modemState.republish();
    this.inbound.kick();
    this.statuses.kick();
  }

  private async dispatch(message: IncomingMessage): Promise<void> {
    const { topics } = this.options;
    if (message.topic === topics.commandSend) {
      try {
        if (!this.ip?.handleSend(message.payload)) this.replies.handle(message.payload);
      } catch (error) {
        // Not committed: no PUBACK (the connection drops and the broker redelivers), and a person is told.
        this.alarms.set(
          'reply_intake',
          'journal_write_failed',
          `the journal cannot be written (${(error as Error).message}); replies wait on the broker`,
        );
        throw error;
      }
      this.alarms.set('reply_intake', 'journal_write_failed', null);
      return;
    }
    const action = topics.actionOf(message.topic);
    if (action !== null) {
      this.requests.handle(action, message.payload, topics.response(action), message);
      return;
    }
    this.options.logger.debug({ topic: message.topic }, 'message on an unexpected topic ignored');
  }

  /** Fire-and-forget publish: never awaited where an MQTT handler runs (PUBACKs flow only after it returns). */
  private publishLater(topic: string, payload: string, properties?: { correlationData: Buffer }, retain = false): void {
    this.options.connection
      .publish(topic, payload, { retain, ...(properties ? { properties } : {}) })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error, topic }, 'publish failed');
        this.events.notify('publish_failed', {
          topic,
          message: error instanceof Error ? error.message : String(error),
        });
      });
  }
}
