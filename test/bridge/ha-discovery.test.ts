import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import type { MosquittoBroker } from '../helpers/mosquitto.js';
import { type Received, TestSubscriber } from '../helpers/mqtt-client.js';
import type { TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

let rig: ProcessRig;
let broker: MosquittoBroker;
let sim: TestModemSim;
let app: TestSubscriber;
const base = 'gw-ha';
const prefix = 'ha-test';
const node = 'gw_ha';
const SENSORS = [
  'signal',
  'registration',
  'operator',
  'sms_storage_used',
  'journal_size',
  'modem_status',
  'last_command',
];

beforeAll(async () => {
  rig = await startProcessRig({
    base,
    dirPrefix: 'm2m-ha-',
    alsoSubscribe: [`${prefix}/#`],
    config: { home_assistant: { enabled: true, discovery_prefix: prefix, node_id: node } },
    waitReady: true,
  });
  ({ broker, sim, app } = rig);
}, 40_000);

afterAll(async () => {
  await rig?.close();
});

type Config = Record<string, unknown> & {
  state_topic: string;
  value_template: string;
  availability: { topic: string; value_template: string; payload_available: string; payload_not_available: string }[];
  device: { identifiers: string[]; manufacturer: string; model: string };
};

/** The newest config per discovery topic. */
function configs(from: Received[] = app.messages): Map<string, Config> {
  const out = new Map<string, Config>();
  for (const m of from) if (m.topic.startsWith(`${prefix}/`)) out.set(m.topic, JSON.parse(m.text) as Config);
  return out;
}

/**
 * Renders the templates these configs use, the way Home Assistant's Jinja would for them: `{{ value_json.a.b }}`,
 * optionally sliced (`[:255]`). Anything else fails the test, so a template outside this subset is noticed.
 */
function render(template: string, payload: string): unknown {
  const match = /^\{\{ value_json((?:\.\w+)+)(\[:\d+\])? \}\}$/.exec(template);
  if (!match) throw new Error(`template outside the tested subset: ${template}`);
  let value: unknown = JSON.parse(payload);
  for (const key of match[1]!.slice(1).split('.')) value = (value as Record<string, unknown>)?.[key];
  return value;
}

const last = (topic: string) => app.on(topic).at(-1);

describe('Home Assistant MQTT discovery (home_assistant.enabled)', () => {
  it('publishes one retained sensor config per value, tied to the modem as a device with its IMEI', async () => {
    await waitFor(
      'discovery with the IMEI',
      () =>
        configs().size === SENSORS.length &&
        [...configs().values()].every((c) => c.device.identifiers.some((id) => id.startsWith('imei_'))),
      20_000,
    );
    const info = JSON.parse(last(`${base}/bridge/info`)!.text);
    const all = configs();
    expect([...all.keys()].sort()).toEqual(SENSORS.map((s) => `${prefix}/sensor/${node}/${s}/config`).sort());
    const uniqueIds = new Set<unknown>();
    for (const config of all.values()) {
      for (const key of ['name', 'unique_id', 'state_topic', 'value_template', 'availability', 'device', 'origin'])
        expect(config, key).toHaveProperty(key);
      uniqueIds.add(config.unique_id);
      expect(config.device).toMatchObject({
        identifiers: [`m2m_bridge_${node}`, `imei_${info.modem.imei}`],
        manufacturer: info.modem.manufacturer,
        model: info.modem.model,
      });
      expect(config.availability).toEqual([
        {
          topic: `${base}/bridge/state`,
          value_template: '{{ value_json.state }}',
          payload_available: 'online',
          payload_not_available: 'offline',
        },
      ]);
    }
    expect(uniqueIds.size).toBe(SENSORS.length);
    expect(all.get(`${prefix}/sensor/${node}/signal/config`)).toMatchObject({
      unit_of_measurement: 'dBm',
      device_class: 'signal_strength',
      state_class: 'measurement',
    });

    // Retained: Home Assistant starting later still finds them.
    const late = await TestSubscriber.connect(broker.url, [`${prefix}/#`]);
    await waitFor('retained configs', () => late.messages.length >= SENSORS.length);
    expect(late.messages.every((m) => m.retain)).toBe(true);
    await late.close();
  });

  it('points every sensor at a topic that carries its value, and availability at the bridge state', async () => {
    sim.modem.injectSms({ from: '2936', text: 'lights on' });
    await app.waitFor('command', (m) => m.topic === `${base}/command/received`, 15_000);
    const [availability] = [...configs().values()][0]!.availability;
    expect(render(availability!.value_template, last(availability!.topic)!.text)).toBe(availability!.payload_available);

    const values = new Map<string, unknown>();
    for (const [topic, config] of configs()) {
      const message = last(config.state_topic);
      expect(message, `${topic}: nothing on ${config.state_topic}`).toBeDefined();
      values.set(topic.split('/')[3]!, render(config.value_template, message!.text));
      for (const key of ['json_attributes_topic'])
        if (config[key]) expect(last(config[key] as string), `${topic}: ${key}`).toBeDefined();
    }
    expect(values.get('signal')).toEqual(expect.any(Number));
    expect(values.get('signal') as number).toBeLessThan(0);
    expect(values.get('registration')).toBe('home');
    expect(values.get('operator')).toEqual(expect.any(String));
    expect(values.get('sms_storage_used')).toEqual(expect.any(Number));
    expect(values.get('journal_size') as number).toBeGreaterThan(0);
    const status = configs().get(`${prefix}/sensor/${node}/modem_status/config`)!;
    expect(status.options).toContain(values.get('modem_status'));
    expect(values.get('last_command')).toBe('lights on');
  });

  it('refuses a node id Home Assistant would not accept, naming the key', async () => {
    const result = await runCli([
      'config',
      'check',
      '--set',
      'serial.path=/dev/null',
      '--set',
      'home_assistant.node_id=bad.id',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/home_assistant\.node_id: expected letters, digits, _ and - only/);
  });
});
