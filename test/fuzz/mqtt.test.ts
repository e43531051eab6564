import { describe, it } from 'vitest';
import { runTarget } from './harness.js';
import { parseReplyAcceptedIsSendable, requestHandlerAnswersOnce } from './mqtt.targets.js';

// Short runs of the MQTT fuzz targets test/commands/properties.test.ts does not have (random bytes and JSON values
// into parseReply are there): accepted replies are sendable hex PDUs, and every bridge/request gets one answer.
describe('fuzz targets, short run: MQTT payloads', () => {
  it(parseReplyAcceptedIsSendable.name, async () => {
    await runTarget(parseReplyAcceptedIsSendable, 500);
  });
  it(requestHandlerAnswersOnce.name, async () => {
    await runTarget(requestHandlerAnswersOnce, 500);
  });
});
