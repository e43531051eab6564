import { describe, expect, it } from 'vitest';
import {
  MAX_REPLY_PAYLOAD_BYTES,
  PRODUCTS,
  parseReply,
  type ReplyOptions,
  ReplyValidationError,
  submitOptionsFor,
} from '../../src/commands/index.js';
import { decodePdu, encodeSubmit } from '../../src/sms/index.js';

const options: ReplyOptions = { profile: PRODUCTS['programmable-wireless'], allowMultipart: false };

function rejection(payload: string | Uint8Array, opts: ReplyOptions = options): ReplyValidationError {
  try {
    parseReply(payload, opts);
  } catch (error) {
    if (error instanceof ReplyValidationError) return error;
    throw error;
  }
  throw new Error('expected a ReplyValidationError');
}

describe('parseReply: what to send', () => {
  it('reads a JSON reply to the short code with the transaction', () => {
    expect(parseReply('{"body":"ok 42","mode":"text","transaction":"t-9"}', options)).toEqual({
      transaction: 't-9',
      destination: '2936',
      parts: 1,
      mode: 'text',
      body: 'ok 42',
      text: 'ok 42',
      encoding: 'gsm7',
    });
  });

  it('takes a bare UTF-8 string as text, from bytes too', () => {
    expect(parseReply(new TextEncoder().encode('température ok'), options)).toMatchObject({
      mode: 'text',
      body: 'température ok',
      transaction: null,
    });
  });

  it('defaults mode to text, and echoes a numeric transaction as a string', () => {
    expect(parseReply('{"body":"x","transaction":7}', options)).toMatchObject({ mode: 'text', transaction: '7' });
  });

  it('sends to 000 for Super SIM', () => {
    expect(parseReply('hi', { ...options, profile: PRODUCTS['super-sim'] }).destination).toBe('000');
  });

  it('decodes a binary body from base64', () => {
    const request = parseReply('{"body":"AAEC/w==","mode":"binary"}', options);
    expect(request).toMatchObject({ mode: 'binary', parts: 1, encoding: '8bit' });
    expect(request.mode === 'binary' && Array.from(request.data)).toEqual([0, 1, 2, 255]);
  });

  it('accepts exactly one SMS: 160 GSM-7 or 70 UCS-2 characters, 140 bytes', () => {
    expect(parseReply('a'.repeat(160), options).parts).toBe(1);
    expect(parseReply('ж'.repeat(70), options)).toMatchObject({ parts: 1, encoding: 'ucs2' });
    const bytes = Buffer.alloc(140, 7).toString('base64');
    expect(parseReply(JSON.stringify({ body: bytes, mode: 'binary' }), options).parts).toBe(1);
  });

  it('splits longer text only when allow_multipart is set, up to max_reply_parts', () => {
    expect(parseReply('a'.repeat(161), { ...options, allowMultipart: true }).parts).toBe(2);
    const error = rejection('a'.repeat(153 * 3 + 1), { ...options, allowMultipart: true, maxParts: 3 });
    expect(error).toMatchObject({ code: 'too_long', field: 'body' });
    expect(error.message).toContain('max_reply_parts is 3');
  });
});

describe('parseReply: rejected input names the field and echoes the transaction', () => {
  const cases: [string, string | Uint8Array, Partial<ReplyValidationError>][] = [
    ['invalid JSON', '{"body": "x",', { code: 'invalid_json', field: null, transaction: null }],
    [
      'body of the wrong type',
      '{"body": 5, "transaction": "a"}',
      { code: 'invalid_type', field: 'body', transaction: 'a' },
    ],
    ['missing body', '{"transaction": "b"}', { code: 'empty_body', field: 'body', transaction: 'b' }],
    ['empty body', '{"body": "", "transaction": "c"}', { code: 'empty_body', field: 'body', transaction: 'c' }],
    ['empty bare string', '', { code: 'empty_body', field: 'body' }],
    [
      'unknown mode',
      '{"body": "x", "mode": "sms", "transaction": "d"}',
      { code: 'invalid_type', field: 'mode', transaction: 'd' },
    ],
    [
      'unknown field',
      '{"body": "x", "mdoe": "text", "transaction": "e"}',
      { code: 'unknown_field', field: 'mdoe', transaction: 'e' },
    ],
    [
      'transaction of the wrong type',
      '{"body": "x", "transaction": {"a": 1}}',
      { code: 'invalid_type', field: 'transaction' },
    ],
    [
      'text over one SMS',
      JSON.stringify({ body: 'a'.repeat(161), transaction: 'f' }),
      { code: 'too_long', field: 'body', transaction: 'f' },
    ],
    ['UCS-2 over one SMS', 'ж'.repeat(71), { code: 'too_long', field: 'body' }],
    [
      'binary over 140 bytes',
      JSON.stringify({ body: Buffer.alloc(141).toString('base64'), mode: 'binary', transaction: 'g' }),
      { code: 'too_long', field: 'body', transaction: 'g' },
    ],
    [
      'invalid base64',
      '{"body": "not base64!", "mode": "binary", "transaction": "h"}',
      { code: 'invalid_base64', field: 'body', transaction: 'h' },
    ],
    ['base64 without padding', '{"body": "AAE", "mode": "binary"}', { code: 'invalid_base64', field: 'body' }],
    ['invalid UTF-8', new Uint8Array([0x68, 0xc3, 0x28]), { code: 'invalid_utf8', field: null }],
  ];
  for (const [name, payload, expected] of cases) {
    it(name, () => {
      expect(rejection(payload)).toMatchObject(expected);
    });
  }

  it('says what the field expected in the message', () => {
    expect(rejection('{"body": 5}').message).toBe('body: expected a string, got number 5');
    expect(rejection('a'.repeat(161)).message).toBe(
      'body: 161 GSM-7 characters; one SMS holds 160 (set commands.allow_multipart to split it)',
    );
  });

  it('drops a payload over 64 KiB before parsing it', () => {
    const huge = `{"transaction":"z","body":"${'a'.repeat(MAX_REPLY_PAYLOAD_BYTES)}"}`;
    expect(rejection(huge)).toMatchObject({ code: 'payload_too_large', field: null, transaction: null });
    expect(rejection(new Uint8Array(MAX_REPLY_PAYLOAD_BYTES + 1))).toMatchObject({ code: 'payload_too_large' });
  });
});

describe('control characters in a text reply', () => {
  it('are plain text: the PDU stays hex digits and decodes back to the same characters', () => {
    const body = 'line1\r\nline2\u001a AT+CMGD=1,4\u001b';
    const request = parseReply(JSON.stringify({ body }), { ...options, allowMultipart: true });
    const parts = encodeSubmit(submitOptionsFor(request));
    const text = parts
      .map((part) => {
        expect(part.pdu).toMatch(/^[0-9A-F]+$/);
        const decoded = decodePdu(part.pdu);
        return decoded.type === 'SMS-SUBMIT' ? decoded.text : null;
      })
      .join('');
    expect(text).toBe(body);
  });

  it('builds encoder options for journaled binary replies', () => {
    const options = submitOptionsFor({ destination: '2936', mode: 'binary', body: 'AAEC' });
    expect(options.to).toBe('2936');
    expect(Array.from(options.data ?? [])).toEqual([0, 1, 2]);
  });
});
