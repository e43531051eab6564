import { createConnection } from 'node:net';
import mqtt, { type IClientOptions, MqttClient } from 'mqtt';

/** Builds the MQTT.js client (connectMqtt, i.e. mqtt.connect, unless a test hands in another). */
export type MqttClientFactory = (url: string, options: IClientOptions) => MqttClient;

/** Host and port of a broker that is reached over plain TCP with nothing else to negotiate. */
export interface PlainTcpBroker {
  host: string;
  port: number;
}

/**
 * The broker of `url` when mqtt.connect would open a plain TCP socket to it (mqtt:// or tcp://, no TLS key pair that
 * would turn it into mqtts, no SOCKS proxy, no query that sets options), else null. Pure: `socksProxy` is the
 * MQTTJS_SOCKS_PROXY that mqtt.connect reads from the environment.
 */
export function plainTcpBroker(url: string, options: IClientOptions, socksProxy?: string): PlainTcpBroker | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'mqtt:' && parsed.protocol !== 'tcp:') return null;
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.pathname !== '' && parsed.pathname !== '/') return null;
  if ((options.cert && options.key) || options.servers || options.socksProxy || socksProxy) return null;
  // WHATWG URLs keep IPv6 literals in brackets; net.connect wants the bare address.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  return { host, port: parsed.port === '' ? 1883 : Number(parsed.port) };
}

/**
 * mqtt.connect, except that a plain TCP broker (the usual local Mosquitto) gets its socket from node:net directly.
 * mqtt.connect loads the stream builders of every protocol on its first call — WebSocket (ws, with node:http,
 * https and zlib), TLS and SOCKS — which is ~2.5 MB of a gateway's RSS for a daemon that speaks TCP to 127.0.0.1.
 * The client is the same MqttClient with the options mqtt.connect would give it for that URL; every other URL
 * (mqtts, ws, wss, a proxy) still goes through mqtt.connect.
 */
export function connectMqtt(url: string, options: IClientOptions): MqttClient {
  const broker = plainTcpBroker(url, options, process.env.MQTTJS_SOCKS_PROXY);
  if (broker === null) return mqtt.connect(url, options);
  // noDelay: a command is one small PUBLISH that a local program waits for; Nagle would hold a second small write
  // (a modem/state right after it) until the first is acknowledged.
  const client = new MqttClient(() => createConnection({ host: broker.host, port: broker.port, noDelay: true }), {
    ...options,
    protocol: 'mqtt',
    host: broker.host,
    hostname: broker.host,
    port: broker.port,
  });
  // As mqtt.connect does: errors are also reported through 'close'/'offline', so an unheard 'error' must not throw.
  client.on('error', () => {});
  return client;
}
