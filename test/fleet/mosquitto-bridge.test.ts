import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import type { TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

const examplePath = fileURLToPath(new URL('../../systemd/mosquitto-bridge.conf.example', import.meta.url));
const GATEWAY = 'gw-test-7';
const prefix = `fleet/${GATEWAY}/m2m`;

/** The shipped example, as an installer would adapt it: this gateway's id and the central broker's address. */
function bridgeSection(centralPort: number): string[] {
  return readFileSync(examplePath, 'utf8')
    .replaceAll('gw-0001', GATEWAY)
    .replace(/^address .*$/m, `address 127.0.0.1:${centralPort}`)
    .split('\n');
}

let central: MosquittoBroker;
let gateway: MosquittoBroker;
/** The gateway's modem and daemon, on the default base topic m2m. */
let rig: ProcessRig;
let sim: TestModemSim;
/** A second modem on the same gateway, run as instance lte2 (m2m/lte2/…), as the template unit would. */
let lte2: ProcessRig;
let sim2: TestModemSim;
let centralApp: TestSubscriber;

beforeAll(async () => {
  central = await MosquittoBroker.start();
  gateway = await MosquittoBroker.start({ extraConfig: bridgeSection(central.port) });
  centralApp = await TestSubscriber.connect(central.url, ['fleet/#'], { clientId: 'central-app' });
  lte2 = await startProcessRig({
    base: 'm2m/lte2',
    broker: gateway,
    sim: { profile: 'simcom', iccid: '8901260000000000022' },
    instance: { name: 'lte2' },
    dirPrefix: 'm2m-fleet-',
  });
  sim2 = lte2.sim;
  rig = await startProcessRig({
    base: 'm2m',
    broker: gateway,
    config: { log: { level: 'info' } },
    dirPrefix: 'm2m-fleet-',
  });
  sim = rig.sim;
}, 30_000);

afterAll(async () => {
  await rig?.close();
  await lte2?.close();
  await centralApp?.close();
  await gateway?.close();
  await central?.close();
});

describe('systemd/mosquitto-bridge.conf.example: a gateway Mosquitto bridged to a central one, both on loopback', () => {
  it('shows the gateway on the central broker under its prefix: link up, bridge online, modem ready', async () => {
    await centralApp.waitFor(
      'bridge link notification',
      (m) => m.topic === `fleet/${GATEWAY}/connection` && m.text === '1',
      20_000,
    );
    await centralApp.waitFor(
      'bridge/state online',
      (m) => m.topic === `${prefix}/bridge/state` && m.text.includes('online'),
      20_000,
    );
    await centralApp.waitFor(
      'modem ready',
      (m) => m.topic === `${prefix}/modem/state` && m.text.includes('"ready"'),
      20_000,
    );
  });

  it('delivers a Command received by the modem to a subscriber on the central broker', async () => {
    sim.modem.injectSms({ from: '2936', text: 'fleet hello' });
    const received = await centralApp.waitFor(
      'command/received',
      (m) => m.topic === `${prefix}/command/received`,
      20_000,
    );
    expect(JSON.parse(received.text)).toMatchObject({ body: 'fleet hello', from: '2936', mode: 'text' });
  });

  it('sends a reply published on the central broker from the modem, and reports its status back there', async () => {
    const client = await mqtt.connectAsync(central.url, { clientId: 'central-replier' });
    await client.publishAsync(
      `${prefix}/command/send`,
      JSON.stringify({ body: 'fleet pong', transaction: 'fleet-1' }),
      { qos: 1 },
    );
    await client.endAsync();
    await waitFor(
      'the reply at the simulated network',
      () => sim.modem.sent().find((sms) => sms.text === 'fleet pong'),
      20_000,
    );
    expect(sim.modem.sent().find((sms) => sms.text === 'fleet pong')).toMatchObject({ destination: '2936' });
    await centralApp.waitFor(
      'command/status sent',
      (m) => m.topic === `${prefix}/command/status` && m.text.includes('"fleet-1"') && m.text.includes('"sent"'),
      20_000,
    );
    // Forwarded in once, never echoed back out and in again (topics are listed per direction).
    expect(centralApp.on(`${prefix}/command/send`)).toHaveLength(1);
    expect(sim.modem.sent().filter((sms) => sms.text === 'fleet pong')).toHaveLength(1);
  });

  it('answers a bridge request made on the central broker (health_check) on the central broker', async () => {
    const client = await mqtt.connectAsync(central.url, { clientId: 'central-ops' });
    await client.publishAsync(`${prefix}/bridge/request/health_check`, JSON.stringify({ transaction: 'hc-1' }), {
      qos: 1,
    });
    await client.endAsync();
    const response = await centralApp.waitFor(
      'health_check response',
      (m) => m.topic === `${prefix}/bridge/response/health_check` && m.text.includes('"hc-1"'),
      20_000,
    );
    expect(JSON.parse(response.text)).toMatchObject({ status: 'ok', transaction: 'hc-1', data: { healthy: true } });
  });

  it('carries a second modem’s instance (m2m/lte2/…) both ways with the same file: its Commands out, its replies in', async () => {
    const lte2Prefix = `${prefix}/lte2`;
    await centralApp.waitFor(
      'lte2 modem ready',
      (m) => m.topic === `${lte2Prefix}/modem/state` && m.text.includes('"ready"'),
      20_000,
    );
    sim2.modem.injectSms({ from: '2936', text: 'fleet hello lte2' });
    const received = await centralApp.waitFor(
      'lte2 command/received',
      (m) => m.topic === `${lte2Prefix}/command/received`,
      20_000,
    );
    expect(JSON.parse(received.text)).toMatchObject({
      body: 'fleet hello lte2',
      instance: 'lte2',
      iccid: '8901260000000000022',
    });
    expect(centralApp.on(`${prefix}/command/received`).some((m) => m.text.includes('fleet hello lte2'))).toBe(false);

    const client = await mqtt.connectAsync(central.url, { clientId: 'central-replier-2' });
    await client.publishAsync(`${lte2Prefix}/command/send`, JSON.stringify({ body: 'pong lte2', transaction: 'f-2' }), {
      qos: 1,
    });
    await client.endAsync();
    await waitFor(
      'the reply from the second modem',
      () => sim2.modem.sent().find((sms) => sms.text === 'pong lte2'),
      20_000,
    );
    expect(sim.modem.sent().some((sms) => sms.text === 'pong lte2')).toBe(false);
    await centralApp.waitFor(
      'lte2 command/status sent',
      (m) => m.topic === `${lte2Prefix}/command/status` && m.text.includes('"f-2"') && m.text.includes('"sent"'),
      20_000,
    );
  });
});
