import { describe, it } from 'vitest';
import { channelInterleavedUrcs } from './channel.targets.js';
import { fuzzTarget } from './harness.js';

// The long run of the AT channel target (100,000 inputs of the 1,000,000).
describe('fuzz: AT channel', () => {
  it(channelInterleavedUrcs.name, async () => {
    await fuzzTarget(channelInterleavedUrcs);
  });
});
