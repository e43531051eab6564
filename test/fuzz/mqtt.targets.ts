import fc from 'fast-check';
import { expect } from 'vitest';
import { RequestHandler, type RequestReply } from '../../src/bridge/requests.js';
import {
  PRODUCTS,
  parseReply,
  type ReplyOptions,
  ReplyValidationError,
  submitOptionsFor,
} from '../../src/commands/index.js';
import { decodePdu, encodeSubmit } from '../../src/sms/index.js';
import { silentLogger } from '../../src/util/logger.js';
import type { FuzzTarget } from './harness.js';

/**
 * Invariant 3 on the MQTT side: nothing a local program publishes can crash the bridge or reach the modem as AT text.
 * `parseReply` (command/send) returns a request or throws ReplyValidationError; what it accepts encodes into exactly
 * the parts it announced, as hex PDUs (so CR, LF, Ctrl-Z, ESC or "AT…" in a body can only ever be hex digits on the
 * wire); the bridge/request handler answers every payload exactly once.
 */

const options: ReplyOptions = { profile: PRODUCTS['programmable-wireless'], allowMultipart: false };

function onlyRequestOrValidationError(payload: string | Uint8Array, o: ReplyOptions = options): void {
  try {
    parseReply(payload, o);
  } catch (error) {
    if (!(error instanceof ReplyValidationError)) throw error;
  }
}

export const parseReplyRandomBytes: FuzzTarget = {
  name: 'mqtt: parseReply(random bytes)',
  fuzzRuns: 50_000,
  property: () => fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => onlyRequestOrValidationError(bytes)),
};

export const parseReplyJsonValues: FuzzTarget = {
  name: 'mqtt: parseReply(JSON values and objects)',
  fuzzRuns: 50_000,
  property: () =>
    fc.property(
      fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc
          .record({ body: fc.anything(), mode: fc.anything(), transaction: fc.anything() }, { requiredKeys: [] })
          .map((v) => JSON.stringify(v) ?? ''),
        fc.string({ unit: 'binary', maxLength: 300 }),
      ),
      (payload) => onlyRequestOrValidationError(payload),
    ),
};

// Bodies made of what an attacker or a careless program would send: control characters, AT text, GSM-7 extension
// characters, emoji; lengths around the one-SMS limits (160 GSM-7, 70 UCS-2).
const hostile = fc.constantFrom('\r', '\n', '\x1a', '\x1b', 'AT+CMGD=1,4', '+++', 'ATH', '€', '{', '😀', 'é', 'ж', '"');
const bodyText = fc.string({
  unit: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...'abc XYZ 019.,') }, { weight: 1, arbitrary: hostile }),
  maxLength: 200,
});
const base64Body = fc
  .tuple(fc.uint8Array({ maxLength: 160 }), fc.nat(), fc.constantFrom('keep', 'strip-padding', 'corrupt'))
  .map(([bytes, at, how]) => {
    const b64 = Buffer.from(bytes).toString('base64');
    if (how === 'strip-padding') return b64.replace(/=+$/, '');
    if (how === 'corrupt' && b64.length > 0) return `${b64.slice(0, at % b64.length)}*${b64.slice(at % b64.length)}`;
    return b64;
  });
const transaction = fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null), fc.boolean());
const nearValid = fc.oneof(
  bodyText,
  fc
    .record(
      {
        body: fc.oneof(bodyText, base64Body, fc.integer()),
        mode: fc.constantFrom('text', 'binary', 'TEXT', 7),
        transaction,
        extra: fc.string({ maxLength: 5 }),
      },
      { requiredKeys: ['body'] },
    )
    .map((v) => JSON.stringify(v)),
);

function transactionIn(payload: string): unknown {
  try {
    return (JSON.parse(payload) as { transaction?: unknown } | null)?.transaction;
  } catch {
    return undefined;
  }
}

/** New: what parseReply accepts is exactly what the encoder can send, as hex, in the parts it announced. */
export const parseReplyAcceptedIsSendable: FuzzTarget = {
  name: 'mqtt: parseReply(near-valid payloads) → encodable hex PDUs',
  fuzzRuns: 50_000,
  property: () =>
    fc.property(
      nearValid,
      fc.boolean(),
      fc.integer({ min: 1, max: 10 }),
      fc.constantFrom(...Object.values(PRODUCTS)),
      (payload, allowMultipart, maxParts, profile) => {
        const o: ReplyOptions = { profile, allowMultipart, maxParts };
        let request: ReturnType<typeof parseReply>;
        try {
          request = parseReply(payload, o);
        } catch (error) {
          if (!(error instanceof ReplyValidationError)) throw error;
          const sent = transactionIn(payload);
          const readable =
            ['empty_body', 'too_long', 'invalid_base64', 'unknown_field'].includes(error.code) ||
            (error.code === 'invalid_type' && error.field !== 'transaction');
          if (readable && typeof sent === 'string' && sent.length <= 256) expect(error.transaction).toBe(sent);
          return;
        }
        expect(request.destination).toBe(profile.short_code);
        expect(request.parts).toBeLessThanOrEqual(allowMultipart ? maxParts : 1);
        const parts = encodeSubmit(submitOptionsFor(request));
        expect(parts).toHaveLength(request.parts);
        for (const part of parts) expect(part.pdu).toMatch(/^[0-9A-F]+$/);
        const decoded = parts.map((part) => decodePdu(part.pdu));
        if (request.mode === 'text') expect(decoded.map((d) => d.text).join('')).toBe(request.body);
        else expect(Buffer.from(decoded[0]!.data_hex ?? '', 'hex').toString('base64')).toBe(request.body);
      },
    ),
};

/** New: every bridge/request payload gets exactly one response, with the caller's transaction when it was readable. */
export const requestHandlerAnswersOnce: FuzzTarget = {
  name: 'mqtt: bridge/request handler, any payload answered once',
  fuzzRuns: 50_000,
  property: () =>
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
        fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
        fc
          .record({ transaction, delay: fc.anything(), fail: fc.boolean() }, { requiredKeys: [] })
          .map((v) => Buffer.from(JSON.stringify(v))),
      ),
      fc.constantFrom('health_check', 'sweep', 'fail', 'unknown', '__proto__', 'constructor', ''),
      fc.option(fc.constantFrom('reply/here', 'other/topic')),
      fc.option(fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b))),
      async (payload, action, responseTopic, correlationData) => {
        const replies: RequestReply[] = [];
        const handler = new RequestHandler({
          logger: silentLogger(),
          respond: (reply) => replies.push(reply),
          actions: {
            health_check: async () => ({ healthy: true }),
            sweep: async (request) => ({ keys: Object.keys(request).length }),
            fail: async () => {
              throw new Error('modem busy');
            },
          },
        });
        handler.handle(action, payload, 'base/bridge/response/x', {
          ...(responseTopic ? { responseTopic } : {}),
          ...(correlationData ? { correlationData } : {}),
        });
        await new Promise((resolve) => setImmediate(resolve));
        expect(replies).toHaveLength(1);
        const [reply] = replies;
        expect(['ok', 'error']).toContain(reply!.payload.status);
        expect(reply!.topic).toBe(responseTopic ?? 'base/bridge/response/x');
        if (correlationData) expect(reply!.correlationData).toEqual(correlationData);
        expect(typeof JSON.stringify(reply!.payload)).toBe('string');
      },
    ),
};
