import { randomBytes } from 'node:crypto';
import type { IClientOptions } from 'mqtt';
import { type Clock, systemClock } from '../util/clock.js';
import { connectMqtt, type MqttClientFactory } from './mqtt-client-factory.js';
import type { Topics } from './topics.js';

/**
 * Before a daemon goes online it asks the broker whether another daemon is live under the same base topic: two
 * daemons there would each take the other's replies (both subscribe to `command/send`) and overwrite each other's
 * retained state. A live holder is visible without any registry: its retained `bridge/state` is `online` — the last
 * will turns it `offline` as soon as its connection dies, SIGKILL included — and its retained `bridge/info` names its
 * MQTT client id. The same client id is this daemon's own earlier session (a restart after a power cut, before the
 * broker noticed), never a conflict.
 */
export interface TopicHolder {
  client_id: string;
  instance: string | null;
  pid: number | null;
  hostname: string | null;
}

export interface BaseTopicProbeOptions {
  url: string;
  topics: Topics;
  clientId: string;
  /** Credentials, TLS and protocol version as the daemon's own connection uses them. */
  client: IClientOptions;
  /** How long to wait for a broker that does not answer; the check is skipped then (the daemon runs without it). */
  timeoutMs?: number;
  /** Measures `timeoutMs`; default the system clock. */
  clock?: Clock;
  /** Builds the throwaway client; default connectMqtt, as the daemon's own connection. */
  clientFactory?: MqttClientFactory;
}

export type ProbeResult = { checked: true; holder: TopicHolder | null } | { checked: false; reason: string };

function parse(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function probeBaseTopic(options: BaseTopicProbeOptions): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const clock = options.clock ?? systemClock;
  // A throwaway session of its own: the daemon's persistent session (and its queued replies) stay untouched.
  const client = (options.clientFactory ?? connectMqtt)(options.url, {
    ...options.client,
    clientId: `${options.clientId.slice(0, 40)}-probe-${randomBytes(4).toString('hex')}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    // No 65,536-Buffer number cache (mqtt-connection.ts says why); the cache is global, so the first client decides.
    writeCache: false,
  });
  const retained = new Map<string, string>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain) retained.set(topic, payload.toString('utf8'));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      client.once('connect', () => {
        clock.clearTimeout(timer);
        resolve();
      });
      client.once('error', (error) => {
        clock.clearTimeout(timer);
        reject(error);
      });
      client.once('close', () => {
        clock.clearTimeout(timer);
        reject(new Error('connection closed'));
      });
    });
    await client.subscribeAsync([options.topics.bridgeState, options.topics.bridgeInfo], { qos: 0 });
    // The broker sends a subscription's retained messages before it answers the next SUBSCRIBE on the same
    // connection, so once this second SUBACK is in, everything retained under the two topics has arrived.
    await client.subscribeAsync(`${options.topics.bridgeState}/${randomBytes(6).toString('hex')}`, { qos: 0 });
  } catch (error) {
    client.end(true);
    return { checked: false, reason: error instanceof Error ? error.message : String(error) };
  }
  client.end(true);
  const state = parse(retained.get(options.topics.bridgeState));
  const info = parse(retained.get(options.topics.bridgeInfo));
  const clientId = typeof info?.client_id === 'string' ? info.client_id : null;
  if (state?.state !== 'online' || clientId === null || clientId === options.clientId)
    return { checked: true, holder: null };
  return {
    checked: true,
    holder: {
      client_id: clientId,
      instance: typeof info?.instance === 'string' ? info.instance : null,
      pid: typeof info?.pid === 'number' ? info.pid : null,
      hostname: typeof info?.hostname === 'string' ? info.hostname : null,
    },
  };
}
