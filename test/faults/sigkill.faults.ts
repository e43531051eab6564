import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { runCrashScenario } from './crash-scenario.js';

let broker: MosquittoBroker;
beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());

describe('the daemon SIGKILLed at 50 random moments (issue 8 fault suite, long run)', () => {
  it('500 commands and 200 replies across 50 kills: every command published under one id, every reply sent once or reported failed', async () => {
    const report = await runCrashScenario(broker, {
      commands: 500,
      replies: 200,
      kills: 50,
      uptimeMs: [200, 2_500],
      commandGapMs: 260,
      replyGapMs: 650,
      settleMs: 180_000,
    });
    expect(report.kills).toBe(50);
    expect(report.published).toBe(500);
  });
});
