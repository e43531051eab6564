import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

// ARCHITECTURE.md: "Secrets never appear in logs or bridge/info". The daemon runs at debug level with a PIN-locked
// SIM, an MQTT password and a Wireless API token, does a full round of work, and stops; then every log line and every
// message on the broker (retained or not) is searched for the secrets.

const PIN = '73915286';
const MQTT_PASSWORD = 'mqtt-pw-Zq81!xv-secret';
const API_TOKEN = 'tok_5f0c7e1d9a2b4c6e8f0a1b3c5d7e9f11';
const SECRETS = [PIN, MQTT_PASSWORD, API_TOKEN];

/** The secret files the config names. */
let dir: string;
let rig: ProcessRig | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-secrets-'));
  for (const [name, value] of [
    ['pin', PIN],
    ['mqtt-password', MQTT_PASSWORD],
    ['wireless-token', API_TOKEN],
  ] as const)
    writeFileSync(join(dir, name), `${value}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

function leaks(text: string): string[] {
  return SECRETS.filter((secret) => text.includes(secret));
}

describe('secrets stay secret', () => {
  it('the SIM PIN, MQTT password and API token never appear in debug logs, retained topics or any MQTT message', {
    timeout: 60_000,
  }, async () => {
    const base = 'secrets';
    rig = await startProcessRig({
      base,
      sim: { profile: 'quectel', pin: PIN },
      // Everything on the broker, not only the daemon's own topics.
      alsoSubscribe: ['#'],
      app: { clientId: 'app-secrets' },
      config: {
        modem: { pin_file: join(dir, 'pin') },
        mqtt: { client_id: 'daemon-secrets', username: 'bridge', password_file: join(dir, 'mqtt-password') },
        wireless: {
          account_sid: 'AC0123456789abcdef0123456789abcdef',
          auth_token_file: join(dir, 'wireless-token'),
        },
        log: { level: 'debug' },
      },
    });
    const { app, broker, daemon, sim } = rig;
    // The PIN was used: the SIM is unlocked and the modem ready.
    await waitFor('modem ready', () => app.on(`${base}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);
    expect(sim.modem.state().sim).toBe('ready');
    expect(sim.modem.log().some((e) => e.direction === 'in' && e.text.includes(PIN))).toBe(true);
    sim.modem.injectSms({ from: '2936', text: 'status?' });
    await app.waitFor('command', (m) => m.topic === `${base}/command/received`, 15_000);
    const client = await mqtt.connectAsync(broker.url);
    await client.publishAsync(`${base}/command/send`, JSON.stringify({ body: 'all good', transaction: 's-1' }), {
      qos: 1,
    });
    for (const action of ['health_check', 'status'])
      await client.publishAsync(`${base}/bridge/request/${action}`, JSON.stringify({ transaction: action }), {
        qos: 1,
      });
    await app.waitFor('reply sent', (m) => m.topic === `${base}/command/status` && m.text.includes('"sent"'), 15_000);
    await app.waitFor('status response', (m) => m.topic === `${base}/bridge/response/status`, 15_000);
    await client.endAsync();
    expect(await daemon.signal('SIGTERM')).toBe(0);

    // Every line the daemon wrote, at debug level, from start to stop.
    expect(daemon.lines.some((line) => line.level === 20)).toBe(true);
    expect(leaks(daemon.output)).toEqual([]);
    // Everything published while it ran, and what stays retained afterwards (bridge/info, modem/state, ...).
    expect(app.messages.filter((m) => leaks(m.text).length > 0).map((m) => m.topic)).toEqual([]);
    const late = await TestSubscriber.connect(broker.url, ['#'], { clientId: 'late-secrets' });
    await late.waitFor('retained bridge/info', (m) => m.retain && m.topic === `${base}/bridge/info`);
    await late.waitFor('retained bridge/state', (m) => m.retain && m.topic === `${base}/bridge/state`);
    expect(late.messages.filter((m) => leaks(m.text).length > 0).map((m) => m.topic)).toEqual([]);
    // bridge/info does carry the config summary, just no secret in it.
    const info = JSON.parse(late.messages.find((m) => m.topic === `${base}/bridge/info`)?.text ?? '{}');
    expect(info.config).toMatchObject({ base_topic: base, log_level: 'debug', serial_path: sim.path });
    await late.close();
  });
});
