import { ReplyValidationError } from './reply.js';

/**
 * `command/send` payloads that ask for `"transport":"ip"` (a Super SIM IP Command back to the cloud). Pure. The SMS
 * rules (160 characters, 140 bytes, parts) do not apply: one UDP datagram carries up to 1300 bytes of UTF-8 text or
 * base64-decoded binary (twilio_supersim_v1.json, IpCommand `payload`). Fields are those of every reply.
 */
export const MAX_IP_REPLY_BYTES = 1300;

export interface IpReplyRequest {
  transaction: string | null;
  mode: 'text' | 'binary';
  /** Text, or base64 for binary, as the journal keeps replies. */
  body: string;
  /** The datagram's payload. */
  data: Buffer;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True when `payload` is a JSON object whose `transport` is "ip" (anything unreadable is left to parseReply). */
export function asksForIp(payload: Uint8Array): boolean {
  const text = Buffer.from(payload).toString('utf8');
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && (parsed as { transport?: unknown }).transport === 'ip';
  } catch {
    return false;
  }
}

function transactionOf(value: unknown): string | null {
  if (typeof value === 'string' && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Validates an IP reply (call after asksForIp). Throws ReplyValidationError naming the field. */
export function parseIpReply(payload: Uint8Array): IpReplyRequest {
  const object = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
  const transaction = transactionOf(object.transaction);
  for (const key of Object.keys(object)) {
    if (!['body', 'mode', 'transaction', 'transport'].includes(key)) {
      throw new ReplyValidationError(
        'unknown_field',
        key,
        'unknown field (expected body, mode, transaction, transport)',
        transaction,
      );
    }
  }
  const mode = object.mode ?? 'text';
  if (mode !== 'text' && mode !== 'binary') {
    throw new ReplyValidationError('invalid_type', 'mode', 'expected "text" or "binary"', transaction);
  }
  const body = object.body;
  if (typeof body !== 'string' || body === '') {
    throw new ReplyValidationError(
      body === undefined || body === '' ? 'empty_body' : 'invalid_type',
      'body',
      body === undefined || body === '' ? 'empty; a reply needs a body' : 'expected a string',
      transaction,
    );
  }
  if (mode === 'binary' && !BASE64.test(body)) {
    throw new ReplyValidationError(
      'invalid_base64',
      'body',
      'expected standard base64 (A-Z a-z 0-9 + /, = padding)',
      transaction,
    );
  }
  const data = mode === 'binary' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (data.length > MAX_IP_REPLY_BYTES) {
    throw new ReplyValidationError(
      'too_long',
      'body',
      `${data.length} bytes; one IP Command carries at most ${MAX_IP_REPLY_BYTES}`,
      transaction,
    );
  }
  return { transaction, mode, body, data };
}
