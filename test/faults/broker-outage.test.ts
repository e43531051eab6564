import { describe, expect, it } from 'vitest';
import { brokerForThisFile } from '../helpers/broker.js';
import { runBrokerScenario } from './broker-scenario.js';

const broker = brokerForThisFile();

describe('the MQTT broker stopped during traffic (issue 5 proof; restarts repeatedly in broker-restarts.faults.ts)', () => {
  it('broker away for 10 s while 60 commands arrive and 20 replies are published: nothing lost, replies sent once', {
    timeout: 90_000,
  }, async () => {
    const report = await runBrokerScenario(broker, {
      commands: 60,
      replies: 20,
      // 2 s into the traffic, for 10 s: commands arrive before, during and after the outage.
      outages: () => [{ afterMs: 2_000, forMs: 10_000 }],
      commandGapMs: 450,
      replyGapMs: 1_300,
      settleMs: 45_000,
    });
    expect(report.outages).toBe(1);
    expect(report.published).toBe(60);
  });
});
