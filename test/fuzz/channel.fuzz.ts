import { describe, it } from 'vitest';
import { channelInterleavedUrcs } from './channel.targets.js';
import { channelPromptWithUrcs } from './channel-prompt.targets.js';
import { fuzzTarget } from './harness.js';

// The long run of the AT channel targets (100,000 inputs of the 1,000,000).
describe('fuzz: AT channel', () => {
  for (const target of [channelInterleavedUrcs, channelPromptWithUrcs]) {
    it(target.name, async () => {
      await fuzzTarget(target);
    });
  }
});
