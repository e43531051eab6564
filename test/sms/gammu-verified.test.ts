import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type DeliverOptions,
  decodePdu,
  encodeDeliver,
  encodeStatusReport,
  type StatusReportOptions,
} from '../../src/sms/index.js';

// Encoder outputs that Gammu 1.42 decoded independently (see the fixture's "about"): a change that alters them
// must be checked against an independent decoder again.
interface Fixture {
  vectors: {
    name: string;
    encode: Record<string, unknown> & { kind: 'deliver' | 'status-report' };
    pdus: string[];
    decoded: Record<string, unknown>[];
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sms-gammu-verified.json', import.meta.url), 'utf8'),
) as Fixture;

function encode(options: Fixture['vectors'][number]['encode']): string[] {
  const { kind, dataHex, ...rest } = options;
  if (kind === 'status-report') return [encodeStatusReport(rest as unknown as StatusReportOptions).pdu];
  const data = typeof dataHex === 'string' ? { data: Uint8Array.from(Buffer.from(dataHex, 'hex')) } : {};
  return encodeDeliver({ ...(rest as unknown as DeliverOptions), ...data }).map((part) => part.pdu);
}

describe('PDUs verified with Gammu', () => {
  for (const vector of fixture.vectors) {
    it(vector.name, () => {
      expect(encode(vector.encode)).toEqual(vector.pdus);
      vector.pdus.forEach((pdu, index) => {
        expect(decodePdu(pdu)).toMatchObject(vector.decoded[index]!);
      });
    });
  }
});
