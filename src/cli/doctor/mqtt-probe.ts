import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { ModemView } from '../../bridge/index.js';
import type { LoadedConfig } from '../../config/index.js';
import { type CheckResult, fail, pass } from './check.js';

/** The daemon's answer to one `bridge/request/at` query, or why there was none. */
export type AtReply = { ok: true; lines: string[]; final: string } | { ok: false; error: string };

export interface DaemonAnswer {
  health: {
    healthy: boolean;
    mqtt: string;
    modem: ModemView;
  };
  info: {
    modem?: { iccid?: string | null; imei?: string | null; manufacturer?: string | null; model?: string | null } | null;
  } | null;
  /** Read-only AT queries the daemon ran on its own channel (the `at` request), by command. */
  at: Record<string, AtReply>;
  /**
   * The daemon's `status` answer (src/daemon/status-action.ts): the cell, IMSI and SMS centre it reads on demand, and
   * its paths. Null when it did not answer (an older daemon, or one too busy); absent where a test builds the answer.
   */
  status?: DaemonStatus | null;
}

export interface DaemonStatus {
  modem?: {
    identity?: { imsi?: string | null };
    cell?: Record<string, unknown> | null;
    sms_centre?: string | null;
    detail_unavailable?: string | null;
  };
  paths?: { config_file: string | null; serial_port: string; journal: string } | null;
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

interface BridgeResponse {
  status: string;
  data: unknown;
  error?: string | null;
}

/**
 * Connects as the daemon would (same URL, credentials, TLS), then asks the daemon for health_check. A daemon that
 * answers holds the serial port: the modem checks then use its answer instead of opening the busy port, and the
 * `atQueries` (read-only commands its `at` request allows, src/daemon/at-action.ts) run through the daemon's channel.
 */
export async function probeMqtt(loaded: LoadedConfig, atQueries: string[] = [], timeoutMs = 3_000): Promise<MqttProbe> {
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
  const pending = new Map<string, (response: BridgeResponse) => void>();
  let info: DaemonAnswer['info'] = null;
  client.on('message', (topic, payload) => {
    try {
      const body = JSON.parse(payload.toString('utf8'));
      if (topic === `${base}/bridge/info`) info = body;
      else if (topic.startsWith(`${base}/bridge/response/`)) pending.get(body.transaction)?.(body);
    } catch {
      // not ours
    }
  });
  /** One request/response round trip; null when the daemon does not answer in time. */
  const request = async (action: string, body: Record<string, unknown>, wait: number) => {
    const transaction = `doctor-${randomUUID()}`;
    const answer = new Promise<BridgeResponse | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), wait);
      pending.set(transaction, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
    });
    await client.publishAsync(`${base}/bridge/request/${action}`, JSON.stringify({ ...body, transaction }), {
      qos: 1,
    });
    const response = await answer;
    pending.delete(transaction);
    return response;
  };
  try {
    await client.subscribeAsync([`${base}/bridge/response/health_check`, `${base}/bridge/info`], { qos: 1 });
    const health = await request('health_check', {}, timeoutMs);
    if (health?.status !== 'ok') return { results, daemon: null };
    const at: Record<string, AtReply> = {};
    if (atQueries.length > 0) await client.subscribeAsync(`${base}/bridge/response/at`, { qos: 1 });
    for (const command of atQueries) {
      // One at a time: the daemon runs them on the modem's single channel anyway.
      const response = await request('at', { command }, 10_000);
      const data = response?.data as { lines?: string[]; final?: string } | null | undefined;
      at[command] =
        response === null
          ? { ok: false, error: 'no answer within 10 s' }
          : response.status === 'ok' && data
            ? { ok: true, lines: data.lines ?? [], final: data.final ?? 'OK' }
            : { ok: false, error: response.error ?? 'the daemon answered with an error' };
    }
    await client.subscribeAsync(`${base}/bridge/response/status`, { qos: 1 });
    // The daemon reads the cell from the modem for this answer (within 3.5 s), so it gets longer than health_check.
    const status = await request('status', {}, 8_000);
    return {
      results,
      daemon: {
        health: health.data as DaemonAnswer['health'],
        info,
        at,
        status: status?.status === 'ok' ? (status.data as DaemonStatus) : null,
      },
    };
  } finally {
    await client.endAsync(true);
  }
}
