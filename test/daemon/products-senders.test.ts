import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import type { TestSubscriber } from '../helpers/mqtt-client.js';
import type { TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// commands.product and commands.allowed_senders through `m2m-bridge run`: the real daemon, the simulator over a pty,
// a real Mosquitto. What a Super SIM gateway and a gateway with its own sender list see.

let rig: ProcessRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function start(commands: Record<string, unknown>): Promise<{ app: TestSubscriber; sim: TestModemSim }> {
  rig = await startProcessRig({
    base: 'p',
    dirPrefix: 'm2m-products-',
    config: { commands },
    waitReady: true,
    stopWith: 'SIGTERM',
  });
  return { app: rig.app, sim: rig.sim };
}

const received = (subscriber: TestSubscriber) =>
  subscriber.on('p/command/received').map((m) => JSON.parse(m.text) as Record<string, unknown>);

describe('commands.product: super-sim', () => {
  it('takes Commands from 000 with HC… SIDs, refuses 2936, and sends replies to 000', async () => {
    const { app, sim } = await start({ product: 'super-sim' });
    const sid = `HC${'0123456789abcdef'.repeat(2)}`;
    sim.modem.injectSms({ from: '2936', text: 'the Programmable Wireless short code' });
    sim.modem.injectSms({ from: '000', text: `${sid} open valve` });
    const command = await waitFor('the Super SIM command', () => received(app).find((c) => c.body === 'open valve'));
    expect(command).toMatchObject({ id: sid, sid, from: '000' });
    await waitFor('2936 on sms/rejected', () => app.on('p/sms/rejected').length > 0);
    expect(received(app).map((c) => c.body)).toEqual(['open valve']);

    const publisher = await mqtt.connectAsync(rig!.broker.url);
    await publisher.publishAsync('p/command/send', JSON.stringify({ body: 'valve open', transaction: 's1' }), {
      qos: 1,
    });
    await publisher.endAsync();
    const reply = await waitFor('the reply at the network', () =>
      sim.modem.sent().find((s) => s.text === 'valve open'),
    );
    expect(reply.destination).toBe('000');
  });
});

describe('commands.allowed_senders', () => {
  it('publishes SMS from the listed senders only; others go to sms/rejected with a log line naming the sender', async () => {
    const { app, sim } = await start({ allowed_senders: ['+15551234567', '2936'] });
    sim.modem.injectSms({ from: '+15551234567', text: 'from the listed phone' });
    sim.modem.injectSms({ from: '+15557654321', text: 'from a stranger' });
    sim.modem.injectSms({ from: '2936', text: 'from the short code' });
    await waitFor('two commands', () => received(app).length >= 2);
    await waitFor('the stranger on sms/rejected', () => app.on('p/sms/rejected').length > 0);
    expect(
      received(app)
        .map((c) => c.body)
        .sort(),
    ).toEqual(['from the listed phone', 'from the short code']);
    const rejected = JSON.parse(app.on('p/sms/rejected')[0]!.text) as Record<string, unknown>;
    expect(rejected).toMatchObject({ from: '+15557654321', body: 'from a stranger' });
    const line = await rig!.daemon.waitForLog(
      'the rejection',
      (l) => l.msg === 'SMS from a sender outside the allow-list' && l.from === '+15557654321',
    );
    expect(line).toMatchObject({ level: 40 });
  });
});
