import { EventEmitter } from 'node:events';
import { type IClientOptions, type IClientPublishOptions, type IPublishPacket, type MqttClient, Store } from 'mqtt';
import type { Logger } from 'pino';
import { type Clock, type TimerHandle, unrefTimer } from '../util/clock.js';
import { Backoff } from './backoff.js';
import { connectMqtt, type MqttClientFactory } from './mqtt-client-factory.js';

export type { MqttClientFactory } from './mqtt-client-factory.js';

export interface MqttConnectionOptions {
  url: string;
  clientId: string;
  /** 4 = MQTT 3.1.1, 5 = MQTT 5. */
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  keepaliveSeconds?: number;
  connectTimeoutMs?: number;
  reconnect?: { minMs: number; maxMs: number };
  /** Last will: published by the broker, retained, when this client vanishes without a clean stop. */
  will: { topic: string; payload: string };
  /** Topic filters (QoS 1) subscribed on every connect, so a broker that lost our session still delivers. */
  subscriptions: string[];
  logger: Logger;
  /** The reconnect backoff timer and the stop deadline. */
  clock: Clock;
  /** Default: connectMqtt (mqtt-client-factory.ts). */
  clientFactory?: MqttClientFactory;
}

/** A message from the broker. The broker is acknowledged (PUBACK) only after the handler's promise resolves. */
export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  /** MQTT 5 request/response properties, when the publisher set them. */
  responseTopic?: string;
  correlationData?: Buffer;
}

export type IncomingHandler = (message: IncomingMessage) => Promise<void>;

interface ConnectionEvents {
  connected: [];
  disconnected: [reason: string];
}

/**
 * One MQTT client for the whole bridge: connects with a stable client id and a persistent session (clean=false, so
 * QoS 1 messages published while we are away wait on the broker), reconnects with exponential backoff for as long as
 * it runs, and defers each PUBACK until the incoming handler has committed the message (mqtt.js acknowledges as soon
 * as `handleMessage` calls back — overriding it is the documented way to apply backpressure, and it works for both
 * MQTT 3.1.1 and 5, unlike `customHandleAcks`, which is v5 only).
 */
export class MqttConnection extends EventEmitter<ConnectionEvents> {
  private client: MqttClient | null = null;
  private handler: IncomingHandler | null = null;
  private readonly backoff: Backoff;
  private reconnectTimer: TimerHandle | null = null;
  private stopping = false;
  // Our own stores, handed to every reconnect: mqtt.js's reconnect() without them starts with EMPTY stores and
  // silently drops QoS 1 publishes made while the broker was away (mqtt@5 client.js, reconnect()).
  private readonly stores = { incomingStore: new Store(), outgoingStore: new Store() };

  constructor(private readonly options: MqttConnectionOptions) {
    super();
    this.backoff = new Backoff(options.reconnect?.minMs ?? 500, options.reconnect?.maxMs ?? 30_000);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Sets the one handler for incoming messages (set before start). */
  onMessage(handler: IncomingHandler): void {
    this.handler = handler;
  }

  /**
   * Starts connecting and resolves once the client exists; it does not wait for the broker, which may be away
   * (the bridge keeps journaling and publishes when it returns). Listen for `connected`.
   */
  start(): void {
    const options = this.options;
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      protocolVersion: options.protocolVersion,
      clean: false,
      keepalive: options.keepaliveSeconds ?? 30,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      // We drive reconnects ourselves (see scheduleReconnect) so the delay can back off.
      reconnectPeriod: 0,
      resubscribe: false,
      // mqtt-packet otherwise builds a Buffer for every message id 0-65535 on the first write (writeToStream.js,
      // generateCache): 65,536 objects, ~6 MB of a small gateway's heap, to save one 2-byte allocation per packet.
      writeCache: false,
      ...this.stores,
      username: options.username,
      password: options.password,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      will: { topic: options.will.topic, payload: Buffer.from(options.will.payload), qos: 1, retain: true },
      ...(options.protocolVersion === 5 ? { properties: { sessionExpiryInterval: 0xffffffff } } : {}),
    };
    const client = (options.clientFactory ?? connectMqtt)(options.url, clientOptions);
    this.client = client;
    client.handleMessage = (packet, callback) => {
      this.deliver(packet).then(
        () => callback(),
        (error: unknown) => this.refuseAck(error, callback),
      );
    };
    client.on('connect', () => {
      this.backoff.reset();
      options.logger.info({ url: options.url, client_id: options.clientId }, 'mqtt connected');
      // `connected` means ready for traffic: subscriptions are in place before anyone is told.
      if (options.subscriptions.length === 0) return void this.emit('connected');
      client.subscribe(options.subscriptions, { qos: 1 }, (error) => {
        if (error) options.logger.error({ err: error }, 'mqtt subscribe failed');
        this.emit('connected');
      });
    });
    client.on('close', () => {
      if (this.stopping) return;
      this.emit('disconnected', 'connection closed');
      this.scheduleReconnect();
    });
    client.on('error', (error) => {
      options.logger.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, 'mqtt error');
    });
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopping) return;
    const delay = this.backoff.next();
    this.options.logger.info({ delay_ms: delay }, 'mqtt reconnecting');
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopping) this.client?.reconnect(this.stores);
    }, delay);
  }

  private async deliver(packet: IPublishPacket): Promise<void> {
    if (!this.handler) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    const properties = packet.properties;
    await this.handler({
      topic: packet.topic,
      payload,
      ...(properties?.responseTopic ? { responseTopic: properties.responseTopic } : {}),
      ...(properties?.correlationData ? { correlationData: properties.correlationData } : {}),
    });
  }

  /**
   * The handler could not commit the message (e.g. the journal's disk is full): no PUBACK, and the connection is
   * dropped so the broker redelivers it on reconnect (MQTT 3.1.1 §4.4 redelivers unacknowledged messages only then).
   */
  private refuseAck(error: unknown, callback: (error?: Error) => void): void {
    this.options.logger.error({ err: error }, 'incoming message not committed; not acknowledged, will be redelivered');
    callback(error instanceof Error ? error : new Error(String(error)));
    this.client?.stream?.destroy();
  }

  /** Publishes with QoS 1 and resolves on PUBACK (waiting across reconnects while the broker is away). */
  publish(
    topic: string,
    payload: string | Buffer,
    options: { retain?: boolean; properties?: IClientPublishOptions['properties'] } = {},
  ): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('mqtt connection not started'));
    return new Promise((resolve, reject) => {
      client.publish(
        topic,
        payload,
        { qos: 1, retain: options.retain ?? false, properties: options.properties },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  /**
   * Publishes a final message (e.g. the retained offline state) if connected, then closes the connection cleanly so
   * the broker does not fire the last will. Resolves within `timeoutMs` even if the broker is unresponsive.
   */
  async stop(final?: { topic: string; payload: string; retain: boolean }, timeoutMs = 3_000): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) this.options.clock.clearTimeout(this.reconnectTimer);
    const client = this.client;
    if (!client) return;
    const deadline = new Promise<void>((resolve) => unrefTimer(this.options.clock.setTimeout(resolve, timeoutMs)));
    if (final && client.connected) {
      await Promise.race([
        this.publish(final.topic, final.payload, { retain: final.retain }).catch(() => {}),
        deadline,
      ]);
    }
    await Promise.race([client.endAsync(false), deadline]);
    if (!client.disconnected) await client.endAsync(true).catch(() => {});
  }
}
