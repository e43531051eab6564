import { describe, expect, it } from 'vitest';
import { brokerForThisFile } from '../helpers/broker.js';
import { runCrashScenario } from './crash-scenario.js';

const broker = brokerForThisFile();

describe('the daemon SIGKILLed at random moments (issue 5 proof; the long run is sigkill.faults.ts)', () => {
  it('100 commands and 50 replies across 5 kills: every command published under one id, every reply sent once or reported failed', {
    timeout: 90_000,
  }, async () => {
    const report = await runCrashScenario(broker, {
      commands: 100,
      replies: 50,
      kills: 5,
      uptimeMs: [300, 2_500],
      commandGapMs: 160,
      replyGapMs: 320,
      settleMs: 45_000,
    });
    expect(report.kills).toBe(5);
    expect(report.published).toBe(100);
  });
});
