import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { ModemView } from '../../bridge/index.js';
import type { LoadedConfig } from '../../config/index.js';
import { type CheckResult, fail, pass } from './check.js';

export interface DaemonAnswer {
  health: {
    healthy: boolean;
    mqtt: string;
    modem: ModemView;
  };
  info: {
    modem?: { iccid?: string | null; imei?: string | null; manufacturer?: string | null; model?: string | null } | null;
  } | null;
}

export interface MqttProbe {
  results: CheckResult[];
  /** The running daemon's answer to health_check, or null when no daemon answered. */
  daemon: DaemonAnswer | null;
}

function clientOptions(loaded: LoadedConfig): IClientOptions {
  const { config, secrets, tls } = loaded;
  return {
    clientId: `m2m-bridge-doctor-${randomUUID().slice(0, 8)}`,
    protocolVersion: config.mqtt.version,
    connectTimeout: 5_000,
    reconnectPeriod: 0,
    ...(config.mqtt.username ? { username: config.mqtt.username } : {}),
    ...(secrets.mqtt_password !== null ? { password: secrets.mqtt_password } : {}),
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(secrets.mqtt_key ? { key: secrets.mqtt_key } : {}),
  };
}

function explain(error: Error & { code?: string | number }): { detail: string; hint: string } {
  const code = error.code;
  if (code === 'ECONNREFUSED')
    return {
      detail: 'connection refused',
      hint: 'is the broker running? (systemctl status mosquitto) and is mqtt.url right?',
    };
  if (code === 'ENOTFOUND') return { detail: 'host not found', hint: 'check the host name in mqtt.url' };
  if (
    code === 4 ||
    code === 5 ||
    code === 134 ||
    code === 135 ||
    /Not authorized|Bad User Name or Password/i.test(error.message)
  )
    return {
      detail: `credentials refused (${error.message})`,
      hint: 'check mqtt.username and the password in mqtt.password_file',
    };
  return { detail: error.message, hint: 'check mqtt.url, TLS files (mqtt.ca/cert/key) and the broker log' };
}

/**
 * Connects as the daemon would (same URL, credentials, TLS), then asks the daemon for health_check. A daemon that
 * answers holds the serial port: the modem checks then use its answer instead of opening the busy port.
 */
export async function probeMqtt(loaded: LoadedConfig, timeoutMs = 3_000): Promise<MqttProbe> {
  const { config } = loaded;
  let client: MqttClient;
  try {
    client = await mqtt.connectAsync(config.mqtt.url, clientOptions(loaded), false);
  } catch (error) {
    const { detail, hint } = explain(error as Error & { code?: string });
    return { results: [fail('mqtt.connect', 'MQTT broker', `${config.mqtt.url}: ${detail}`, hint)], daemon: null };
  }
  const results = [pass('mqtt.connect', 'MQTT broker', `${config.mqtt.url} accepted the connection and credentials`)];
  const base = config.mqtt.base_topic;
  const transaction = `doctor-${randomUUID()}`;
  let info: DaemonAnswer['info'] = null;
  try {
    const answer = new Promise<DaemonAnswer['health'] | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      client.on('message', (topic, payload) => {
        try {
          const body = JSON.parse(payload.toString('utf8'));
          if (topic === `${base}/bridge/info`) info = body;
          if (topic === `${base}/bridge/response/health_check` && body.transaction === transaction) {
            clearTimeout(timer);
            resolve(body.status === 'ok' ? body.data : null);
          }
        } catch {
          // not ours
        }
      });
    });
    await client.subscribeAsync([`${base}/bridge/response/health_check`, `${base}/bridge/info`], { qos: 1 });
    await client.publishAsync(`${base}/bridge/request/health_check`, JSON.stringify({ transaction }), { qos: 1 });
    const health = await answer;
    return { results, daemon: health ? { health, info } : null };
  } finally {
    await client.endAsync(true);
  }
}
