import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { runBrokerScenario } from './broker-scenario.js';

let broker: MosquittoBroker;
beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());

describe('the MQTT broker restarted repeatedly (issue 8 fault suite, long run)', () => {
  it('15 broker restarts (0.2–6 s down) while 300 commands arrive and 100 replies are published: nothing lost', async () => {
    const report = await runBrokerScenario(broker, {
      commands: 300,
      replies: 100,
      outages: (random) => {
        const outages = [];
        let at = 1_000;
        for (let i = 0; i < 15; i++) {
          const forMs = random.int(200, 6_000);
          outages.push({ afterMs: at, forMs });
          at += forMs + random.int(500, 3_000);
        }
        return outages;
      },
      commandGapMs: 400,
      replyGapMs: 1_200,
      settleMs: 120_000,
    });
    expect(report.outages).toBe(15);
    expect(report.published).toBe(300);
  });
});
