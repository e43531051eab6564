import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { freePort, type MosquittoBroker } from '../helpers/mosquitto.js';
import type { TestSubscriber } from '../helpers/mqtt-client.js';
import type { TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

let rig: ProcessRig;
let broker: MosquittoBroker;
let sim: TestModemSim;
let app: TestSubscriber;
let port: number;
const base = 'gw-metrics';

beforeAll(async () => {
  port = await freePort();
  rig = await startProcessRig({
    base,
    dirPrefix: 'm2m-metrics-',
    app: { clientId: 'metrics-app', clean: false },
    config: { metrics: { enabled: true, port } },
  });
  ({ broker, sim, app } = rig);
}, 30_000);

afterAll(async () => {
  await rig?.close();
});

const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);

async function metrics(): Promise<string> {
  const response = await get('/metrics');
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample, e.g. sample(text, 'm2m_bridge_modem_state{state="ready"}'). */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

async function waitForSample(series: string, value: number, deadlineMs = 15_000): Promise<void> {
  await waitFor(`${series} = ${value}`, async () => sample(await metrics(), series) === value, deadlineMs, 100);
}

async function healthz(): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const response = await get('/healthz');
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, body: {} }; // not listening yet
  }
}

let checks = 0;

/**
 * Asks `bridge/request/health_check` and /healthz in turn and checks they agree (one rule, src/bridge/health.ts);
 * returns the /healthz answer.
 */
async function bothAgree(): Promise<{ status: number; body: Record<string, unknown> }> {
  const transaction = `hc-${++checks}`;
  await app.client.publishAsync(`${base}/bridge/request/health_check`, JSON.stringify({ transaction }), { qos: 1 });
  const response = await app.waitFor(
    'health_check response',
    (m) => m.topic === `${base}/bridge/response/health_check` && JSON.parse(m.text).transaction === transaction,
  );
  const mqttAnswer = JSON.parse(response.text).data;
  const http = await healthz();
  const verdict = (h: Record<string, unknown>) => ({
    healthy: h.healthy,
    level: h.level,
    reason: h.reason,
    alarms: h.alarms,
  });
  expect(verdict(mqttAnswer)).toEqual(verdict(http.body));
  expect(http.status).toBe(http.body.healthy ? 200 : 503);
  return http;
}

describe('metrics and health on 127.0.0.1 (metrics.enabled)', () => {
  it('reports healthy once MQTT is connected and the modem ready, with gauges read live', async () => {
    await waitFor('healthz 200', async () => (await healthz()).status === 200, 20_000, 100);
    expect((await bothAgree()).body).toEqual({
      healthy: true,
      level: 'ok',
      reason: null,
      mqtt: 'connected',
      modem: { status: 'ready', reason: null, cause: null },
      problems: [],
      alarms: [],
    });
    const response = await get('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'm2m_bridge_modem_state{state="ready"}')).toBe(1);
    expect(sample(text, 'm2m_bridge_modem_state{state="disconnected"}')).toBe(0);
    expect(sample(text, 'm2m_bridge_mqtt_connected')).toBe(1);
    expect(sample(text, 'm2m_bridge_modem_signal_dbm')).toBeLessThan(0);
    expect(sample(text, 'm2m_bridge_modem_storage_total')).toBeGreaterThan(0);
    expect(sample(text, 'm2m_bridge_queue_depth{queue="outbox_queued"}')).toBe(0);
    expect(sample(text, 'm2m_bridge_journal_bytes{file="db"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE m2m_bridge_replies_sent_total counter$/m);
    expect(text).toMatch(/^m2m_bridge_info\{version="[^"]+"\} 1$/m);
    // Our own registry only: none of prom-client's default process metrics.
    expect(text).not.toMatch(/process_cpu|nodejs_/);
    expect((await get('/other')).status).toBe(404);
  });

  it('counts commands received and published, and replies queued and sent', async () => {
    sim.modem.injectSms({ from: '2936', text: 'count me' });
    await app.waitFor('command', (m) => m.topic === `${base}/command/received`, 15_000);
    await waitForSample('m2m_bridge_commands_published_total{kind="command"}', 1);
    expect(sample(await metrics(), 'm2m_bridge_inbound_recorded_total')).toBe(1);

    const client = await mqtt.connectAsync(broker.url);
    await client.publishAsync(`${base}/command/send`, 'counted', { qos: 1 });
    await client.endAsync();
    await waitForSample('m2m_bridge_replies_sent_total', 1);
    const text = await metrics();
    expect(sample(text, 'm2m_bridge_replies_queued_total')).toBe(1);
    expect(sample(text, 'm2m_bridge_replies_failed_total')).toBe(0);
  });

  it('turns unhealthy (503, saying why) while the broker is away, and counts the reconnect', async () => {
    await broker.stop();
    await waitFor('healthz 503', async () => (await healthz()).status === 503, 15_000, 100);
    const { body } = await healthz();
    expect(body).toMatchObject({ healthy: false, level: 'down', mqtt: 'disconnected', modem: { status: 'ready' } });
    expect(body.problems).toEqual(['mqtt: not connected to the broker']);
    expect(sample(await metrics(), 'm2m_bridge_mqtt_connected')).toBe(0);
    await broker.start();
    await waitFor('healthz 200 again', async () => (await healthz()).status === 200, 30_000, 100);
    await waitForSample('m2m_bridge_mqtt_reconnects_total', 1);
  }, 60_000);

  it('follows a degraded modem (503, level degraded, saying why), and is healthy again once it is ready', async () => {
    await waitFor('healthz 200', async () => (await healthz()).status === 200, 20_000, 100);
    sim.modem.setFaults({ noNetwork: true });
    await waitFor('healthz 503', async () => (await healthz()).status === 503, 15_000, 100);
    // The MQTT health_check says the same: a degraded modem is not healthy on either path.
    const { body } = await bothAgree();
    expect(body).toMatchObject({ healthy: false, level: 'degraded', mqtt: 'connected', modem: { status: 'degraded' } });
    expect(body.problems).toEqual([expect.stringMatching(/^modem: degraded \(not registered/)]);
    expect(body.reason).toMatch(/^modem: degraded \(not registered/);
    sim.modem.setFaults({ noNetwork: false });
    await waitFor('healthz 200 again', async () => (await healthz()).status === 200, 20_000, 100);
  }, 40_000);

  it('counts a modem re-initialisation as a modem reconnect', async () => {
    const client = await mqtt.connectAsync(broker.url);
    await client.publishAsync(`${base}/bridge/request/modem/restart`, '{}', { qos: 1 });
    await client.endAsync();
    await waitForSample('m2m_bridge_modem_reconnects_total', 1, 20_000);
    await waitFor('healthz 200 after the restart', async () => (await healthz()).status === 200, 20_000, 100);
  }, 40_000);
});
