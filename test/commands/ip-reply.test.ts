import { describe, expect, it } from 'vitest';
import {
  asksForIp,
  commandFromDatagram,
  PRODUCTS,
  parseIpReply,
  parseReply,
  type ReplyOptions,
  ReplyValidationError,
} from '../../src/commands/index.js';

const options: ReplyOptions = { profile: PRODUCTS['super-sim'], allowMultipart: false };
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

function refusal(fn: () => unknown): ReplyValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReplyValidationError) return error;
    throw error;
  }
  throw new Error('expected a ReplyValidationError');
}

describe('the transport field of command/send', () => {
  it('"sms", "auto" or no field keep the SMS path', () => {
    for (const transport of ['sms', 'auto', undefined]) {
      expect(parseReply(bytes({ body: 'pong', transport }), options)).toMatchObject({ destination: '000', parts: 1 });
      expect(asksForIp(bytes({ body: 'pong', transport }))).toBe(false);
    }
    expect(asksForIp(bytes('plain text'))).toBe(false);
    expect(asksForIp(bytes('{broken'))).toBe(false);
  });

  it('"ip" reaching the SMS parser means IP Commands are off; another value is refused naming the field', () => {
    expect(refusal(() => parseReply(bytes({ body: 'x', transport: 'ip', transaction: 't1' }), options))).toMatchObject({
      code: 'transport_unavailable',
      field: 'transport',
      transaction: 't1',
    });
    expect(refusal(() => parseReply(bytes({ body: 'x', transport: 'udp' }), options)).message).toBe(
      'transport: expected "sms", "ip" or "auto", got "udp"',
    );
  });
});

describe('parseIpReply', () => {
  it('text up to 1300 UTF-8 bytes and binary up to 1300 decoded bytes, as one datagram', () => {
    const text = parseIpReply(bytes({ transport: 'ip', body: 'é'.repeat(650), transaction: 7 }));
    expect(text).toMatchObject({ transaction: '7', mode: 'text' });
    expect(text.data.length).toBe(1300);
    const binary = parseIpReply(bytes({ transport: 'ip', mode: 'binary', body: 'AAEC/w==' }));
    expect(binary.data).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('refuses 1301 bytes either way, bad base64, empty bodies and unknown fields, keeping the transaction', () => {
    const cases: Array<[unknown, string, string]> = [
      [{ transport: 'ip', body: 'x'.repeat(1301), transaction: 'a' }, 'too_long', '1301 bytes'],
      [{ transport: 'ip', mode: 'binary', body: Buffer.alloc(1301).toString('base64') }, 'too_long', '1301 bytes'],
      [{ transport: 'ip', mode: 'binary', body: 'not base64!' }, 'invalid_base64', 'base64'],
      [{ transport: 'ip', body: '' }, 'empty_body', 'empty'],
      [{ transport: 'ip', body: 'x', port: 1 }, 'unknown_field', 'unknown field'],
      [{ transport: 'ip', body: 'x', mode: 'hex' }, 'invalid_type', 'text'],
    ];
    for (const [payload, code, words] of cases) {
      const error = refusal(() => parseIpReply(bytes(payload)));
      expect(error.code, JSON.stringify(payload)).toBe(code);
      expect(error.message).toContain(words);
    }
    expect(
      refusal(() => parseIpReply(bytes({ transport: 'ip', body: 'x'.repeat(1301), transaction: 'a' }))).transaction,
    ).toBe('a');
  });
});

describe('commandFromDatagram', () => {
  const base = { id: 'ip_1', from: { address: '100.64.0.1', port: 6969 }, receivedAt: Date.UTC(2026, 0, 2, 3, 4, 5) };

  it('valid UTF-8 is text when text is preferred; anything else, or binary preferred, is base64', () => {
    expect(commandFromDatagram({ ...base, bytes: Buffer.from('valve open ✓'), prefer: 'text' })).toEqual({
      id: 'ip_1',
      sid: null,
      mode: 'text',
      body: 'valve open ✓',
      from: '100.64.0.1:6969',
      sent_at: null,
      received_at: '2026-01-02T03:04:05.000Z',
      parts: 1,
      partial: false,
      transport: 'ip',
    });
    expect(commandFromDatagram({ ...base, bytes: Buffer.from([0xc3, 0x28]), prefer: 'text' })).toMatchObject({
      mode: 'binary',
      body: 'wyg=',
    });
    expect(commandFromDatagram({ ...base, bytes: Buffer.from('hi'), prefer: 'binary' })).toMatchObject({
      mode: 'binary',
      body: 'aGk=',
    });
  });
});
