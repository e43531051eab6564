import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commandFromSms,
  PRODUCTS,
  parseReply,
  ReplyValidationError,
  senderPolicy,
  splitIncludeSid,
} from '../../src/commands/index.js';

const pw = PRODUCTS['programmable-wireless'];
const options = { profile: pw, allowMultipart: false };
const sidArb = fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `DC${hex}`);
const startsWithSid = /^DC[0-9a-fA-F]{32}( |$)/;

/** Invariant 3: nothing an MQTT client publishes can crash the bridge — only ReplyValidationError comes out. */
function onlyValidationErrors(payload: string | Uint8Array): void {
  try {
    const request = parseReply(payload, options);
    expect(request.destination).toBe('2936');
    expect(request.parts).toBe(1);
  } catch (error) {
    expect(error).toBeInstanceOf(ReplyValidationError);
  }
}

describe('properties', () => {
  it('parseReply: arbitrary bytes give a request or a ReplyValidationError, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), onlyValidationErrors), { numRuns: 500 });
  });

  it('parseReply: arbitrary JSON values give a request or a ReplyValidationError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => onlyValidationErrors(JSON.stringify(value))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({ body: fc.anything(), mode: fc.anything(), transaction: fc.anything() }, { requiredKeys: [] }),
        (value) => onlyValidationErrors(JSON.stringify(value) ?? ''),
      ),
      { numRuns: 500 },
    );
  });

  it('splitIncludeSid: a SID added at the start or the end comes back off with the body intact', () => {
    fc.assert(
      fc.property(sidArb, fc.string({ maxLength: 120 }), (sid, body) => {
        expect(splitIncludeSid(`${sid} ${body}`, pw)).toEqual({ sid, body, position: 'start' });
        fc.pre(!startsWithSid.test(body));
        expect(splitIncludeSid(`${body} ${sid}`, pw)).toEqual({ sid, body, position: 'end' });
      }),
    );
  });

  it('senderPolicy: a configured international number matches its 00- and national-prefixed forms', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{8,12}$/), (digits) => {
        const policy = senderPolicy(pw, [`+${digits}`]);
        expect(policy.check(digits).accepted).toBe(true);
        expect(policy.check(`00${digits}`).accepted).toBe(true);
        expect(policy.check(`+${digits}1`).accepted).toBe(false);
      }),
    );
  });

  it('command ids are a function of the message: same SMS same id, different body different id', () => {
    const base = { originator: '2936', timestamp: '2026-11-27T17:29:58+01:00', data_hex: null, concat: null };
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 50 }), fc.string({ minLength: 1, maxLength: 50 }), (a, b) => {
        const id = (text: string) =>
          commandFromSms({ ...base, encoding: 'ucs2', text }, { profile: pw, receivedAt: 0 }).id;
        expect(id(a)).toBe(id(a));
        if (a !== b && !startsWithSid.test(a) && !startsWithSid.test(b)) expect(id(a)).not.toBe(id(b));
      }),
    );
  });
});
