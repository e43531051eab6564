import { describe, it } from 'vitest';
import { fuzzTarget } from './harness.js';
import {
  decodeMutatedEncoderOutput,
  decodeMutatedFixtures,
  decodeRandomBytes,
  roundTripBinary,
  roundTripText,
} from './pdu.targets.js';

// The long run of the SMS codec targets (450,000 inputs of the 1,000,000).
describe('fuzz: PDU codec', () => {
  for (const target of [
    decodeRandomBytes,
    decodeMutatedEncoderOutput,
    decodeMutatedFixtures,
    roundTripText,
    roundTripBinary,
  ]) {
    it(target.name, async () => {
      await fuzzTarget(target);
    });
  }
});
