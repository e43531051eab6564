import { describe, it } from 'vitest';
import { framerRandomBytes, framerRecordedChunking } from './framer.targets.js';
import { fuzzTarget } from './harness.js';

// The long run of the AT framer targets (250,000 inputs of the 1,000,000).
describe('fuzz: AT framer', () => {
  for (const target of [framerRecordedChunking, framerRandomBytes]) {
    it(target.name, async () => {
      await fuzzTarget(target);
    });
  }
});
