import { describe, it } from 'vitest';
import { fuzzTarget } from './harness.js';
import {
  parseReplyAcceptedIsSendable,
  parseReplyJsonValues,
  parseReplyRandomBytes,
  requestHandlerAnswersOnce,
} from './mqtt.targets.js';

// The long run of the MQTT payload targets (200,000 inputs of the 1,000,000).
describe('fuzz: MQTT payloads', () => {
  for (const target of [
    parseReplyRandomBytes,
    parseReplyJsonValues,
    parseReplyAcceptedIsSendable,
    requestHandlerAnswersOnce,
  ]) {
    it(target.name, async () => {
      await fuzzTarget(target);
    });
  }
});
