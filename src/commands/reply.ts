import { measureText, type SubmitOptions } from '../sms/index.js';
import type { ProductProfile } from './products.js';

/**
 * Validation of `m2m/command/send` payloads (ARCHITECTURE.md, MQTT topics; invariant 3). Pure: bytes in, either what
 * to send or a ReplyValidationError naming the field, with the caller's `transaction` when it could be read.
 *
 * A text body may contain CR, LF, Ctrl-Z (0x1A) or ESC (0x1B): they are just characters. Replies go out in PDU mode
 * only (FACTS.md), where the body is encoded into septets or UCS-2 and written as hex digits, so no body can end an
 * AT command, close the `> ` prompt early or inject text into the AT channel. (Characters outside GSM-7, like Ctrl-Z,
 * make the message UCS-2, which halves its capacity — that is measured, not rejected.)
 */

/** ARCHITECTURE.md: "a payload over 64 KiB is dropped with a log line before parsing". */
export const MAX_REPLY_PAYLOAD_BYTES = 64 * 1024;
/** TS 23.040 §9.2.3.16: 140 octets of user data in one SMS. */
export const MAX_BINARY_BYTES = 140;

export type ReplyErrorCode =
  | 'payload_too_large'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'invalid_type'
  | 'unknown_field'
  | 'empty_body'
  | 'too_long'
  | 'invalid_base64'
  | 'transport_unavailable';

export class ReplyValidationError extends Error {
  override name = 'ReplyValidationError';
  constructor(
    readonly code: ReplyErrorCode,
    /** The payload field at fault (`body`, `mode`, `transaction`, …); null when it is the payload as a whole. */
    readonly field: string | null,
    message: string,
    /** The caller's transaction, echoed on command/status; null when it could not be read. */
    readonly transaction: string | null,
  ) {
    super(field === null ? message : `${field}: ${message}`);
  }
}

export interface ReplyOptions {
  profile: ProductProfile;
  /** `commands.allow_multipart`: split text longer than one SMS into concatenated parts. */
  allowMultipart: boolean;
  /** `commands.max_reply_parts`: the most parts one multipart reply may take. Default 10. */
  maxParts?: number;
}

/** What to send, ready for the journal (`transaction`, `destination`, `mode`, `body`, `parts`) and for the encoder. */
export type ReplyRequest = {
  transaction: string | null;
  /** The product's short code. */
  destination: string;
  parts: number;
} & (
  | { mode: 'text'; body: string; text: string; encoding: 'gsm7' | 'ucs2' }
  | { mode: 'binary'; body: string; data: Uint8Array; encoding: '8bit' }
);

const FIELDS = new Set(['body', 'mode', 'transaction', 'transport']);
/** `transport`: `sms` or `auto` (or absent) are this parser's; `ip` replies are parsed by ip-reply.ts. */
const SMS_TRANSPORTS = new Set(['sms', 'auto']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function readTransaction(object: Record<string, unknown>): string | null {
  const value = object.transaction;
  // Numbers are accepted (zigbee2mqtt-style clients send them) and echoed as their decimal string.
  if (typeof value === 'string' && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Parses and validates one command/send payload. Throws ReplyValidationError. */
export function parseReply(payload: Uint8Array | string, options: ReplyOptions): ReplyRequest {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.byteLength;
  if (bytes > MAX_REPLY_PAYLOAD_BYTES) {
    throw new ReplyValidationError(
      'payload_too_large',
      null,
      `payload of ${bytes} bytes is over the ${MAX_REPLY_PAYLOAD_BYTES}-byte limit`,
      null,
    );
  }
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    throw new ReplyValidationError('invalid_utf8', null, 'payload is not valid UTF-8', null);
  }
  if (!text.trimStart().startsWith('{')) return buildText(text, null, options);

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ReplyValidationError(
      'invalid_json',
      null,
      `payload starts with "{" but is not valid JSON (${why})`,
      null,
    );
  }
  const object = parsed as Record<string, unknown>;
  const transaction = readTransaction(object);
  if (object.transaction !== undefined && object.transaction !== null && transaction === null) {
    throw new ReplyValidationError(
      'invalid_type',
      'transaction',
      `expected a string (at most 256 characters) or a number, got ${describe(object.transaction)}`,
      null,
    );
  }
  for (const key of Object.keys(object)) {
    if (!FIELDS.has(key)) {
      throw new ReplyValidationError(
        'unknown_field',
        key,
        'unknown field (expected body, mode, transaction, transport)',
        transaction,
      );
    }
  }
  const transport = object.transport ?? 'auto';
  if (typeof transport !== 'string' || !SMS_TRANSPORTS.has(transport)) {
    throw transport === 'ip'
      ? new ReplyValidationError(
          'transport_unavailable',
          'transport',
          'IP Commands are not enabled on this gateway (ip_commands.enabled)',
          transaction,
        )
      : new ReplyValidationError(
          'invalid_type',
          'transport',
          `expected "sms", "ip" or "auto", got ${describe(transport)}`,
          transaction,
        );
  }
  const mode = object.mode ?? 'text';
  if (mode !== 'text' && mode !== 'binary') {
    throw new ReplyValidationError(
      'invalid_type',
      'mode',
      `expected "text" or "binary", got ${describe(mode)}`,
      transaction,
    );
  }
  if (typeof object.body !== 'string') {
    throw new ReplyValidationError(
      object.body === undefined ? 'empty_body' : 'invalid_type',
      'body',
      object.body === undefined ? 'missing' : `expected a string, got ${describe(object.body)}`,
      transaction,
    );
  }
  return mode === 'text'
    ? buildText(object.body, transaction, options)
    : buildBinary(object.body, transaction, options);
}

function buildText(body: string, transaction: string | null, options: ReplyOptions): ReplyRequest {
  if (body.length === 0) throw new ReplyValidationError('empty_body', 'body', 'empty; a reply needs text', transaction);
  const measured = measureText(body);
  const single = measured.encoding === 'gsm7' ? 160 : 70;
  const maxParts = options.maxParts ?? 10;
  const unit = measured.encoding === 'gsm7' ? 'GSM-7 characters' : 'UCS-2 characters';
  if (measured.parts > 1 && !options.allowMultipart) {
    throw new ReplyValidationError(
      'too_long',
      'body',
      `${measured.units} ${unit}; one SMS holds ${single} (set commands.allow_multipart to split it)`,
      transaction,
    );
  }
  if (measured.parts > maxParts) {
    throw new ReplyValidationError(
      'too_long',
      'body',
      `${measured.units} ${unit} need ${measured.parts} parts; commands.max_reply_parts is ${maxParts}`,
      transaction,
    );
  }
  return {
    transaction,
    destination: options.profile.short_code,
    parts: measured.parts,
    mode: 'text',
    body,
    text: body,
    encoding: measured.encoding,
  };
}

function buildBinary(body: string, transaction: string | null, options: ReplyOptions): ReplyRequest {
  if (body.length === 0)
    throw new ReplyValidationError('empty_body', 'body', 'empty; a binary reply needs data', transaction);
  if (!BASE64.test(body)) {
    throw new ReplyValidationError(
      'invalid_base64',
      'body',
      'expected standard base64 (A-Z a-z 0-9 + /, = padding)',
      transaction,
    );
  }
  const data = new Uint8Array(Buffer.from(body, 'base64'));
  if (data.length > MAX_BINARY_BYTES) {
    throw new ReplyValidationError(
      'too_long',
      'body',
      `${data.length} bytes; one binary SMS holds ${MAX_BINARY_BYTES}`,
      transaction,
    );
  }
  return {
    transaction,
    destination: options.profile.short_code,
    parts: 1,
    mode: 'binary',
    body,
    data,
    encoding: '8bit',
  };
}

/**
 * The encoder options for a journaled reply (src/sms `encodeSubmit`): text as text, binary bodies decoded from base64.
 * Takes the journal's fields by shape so this module stays free of src/store.
 */
export function submitOptionsFor(reply: { destination: string; mode: 'text' | 'binary'; body: string }): SubmitOptions {
  return reply.mode === 'binary'
    ? { to: reply.destination, data: new Uint8Array(Buffer.from(reply.body, 'base64')) }
    : { to: reply.destination, text: reply.body };
}
