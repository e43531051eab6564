import { describe, it } from 'vitest';
import { runTarget } from './harness.js';
import { decodeMutatedFixtures } from './pdu.targets.js';

// The short version of the fuzz targets that test/sms/properties.test.ts does not already have: mutations of the
// real-world fixture PDUs (random bytes, mutated encoder output and round trips are covered there).
describe('fuzz targets, short run: PDU codec', () => {
  it(decodeMutatedFixtures.name, async () => {
    await runTarget(decodeMutatedFixtures, 1_000);
  });
});
