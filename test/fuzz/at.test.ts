import { describe, it } from 'vitest';
import { channelInterleavedUrcs } from './channel.targets.js';
import { channelPromptWithUrcs } from './channel-prompt.targets.js';
import { framerRandomBytes, framerRecordedChunking } from './framer.targets.js';
import { runTarget } from './harness.js';

// Short runs of the AT fuzz targets (the long run is `npm run fuzz`). test/at/framer.property.test.ts covers
// synthetic lines; these add the recorded dialogues, random bytes with an accounting of every byte, and the channel
// with URCs interleaved at random.
describe('fuzz targets, short run: AT framer and channel', () => {
  it(framerRecordedChunking.name, async () => {
    await runTarget(framerRecordedChunking, 300);
  });
  it(framerRandomBytes.name, async () => {
    await runTarget(framerRandomBytes, 300);
  });
  it(channelInterleavedUrcs.name, async () => {
    await runTarget(channelInterleavedUrcs, 300);
  });
  it(channelPromptWithUrcs.name, async () => {
    await runTarget(channelPromptWithUrcs, 300);
  });
});
