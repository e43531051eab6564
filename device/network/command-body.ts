import { invalidParameter } from './api-errors.js';

/**
 * Limits of a Command body (FACTS.md, wireless.v1.command `command`): text up to 160 characters, IncludeSid adding the
 * 34-character SID and one space to that count; binary up to 140 bytes, sent as base64.
 */
const MAX_TEXT_CHARACTERS = 160;
export const MAX_BINARY_BYTES = 140;
export const SID_LENGTH = 34;

export type IncludeSid = 'none' | 'start' | 'end';

/** RFC 4648 §4 base64 with padding; the API rejects anything else in binary mode. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Characters as a person counts them: code points, so an emoji is one character, not two UTF-16 units. */
function characterCount(text: string): number {
  return [...text].length;
}

/** Validates the body; returns the bytes for binary mode. Throws a 400 ApiError naming the limit. */
export function checkCommandBody(command: string, mode: 'text' | 'binary', includeSid: IncludeSid): Uint8Array | null {
  if (mode === 'binary') {
    if (includeSid !== 'none') throw invalidParameter('IncludeSid', 'is only allowed with CommandMode text');
    if (!BASE64.test(command)) throw invalidParameter('Command', 'is not valid base64 (CommandMode binary)');
    const bytes = Buffer.from(command, 'base64');
    if (bytes.length > MAX_BINARY_BYTES) {
      throw invalidParameter(
        'Command',
        `decodes to ${bytes.length} bytes; binary Commands are at most ${MAX_BINARY_BYTES}`,
      );
    }
    return new Uint8Array(bytes);
  }
  const extra = includeSid === 'none' ? 0 : SID_LENGTH + 1;
  const total = characterCount(command) + extra;
  if (total > MAX_TEXT_CHARACTERS) {
    const withSid = extra ? ` (including the ${extra} characters IncludeSid adds)` : '';
    throw invalidParameter(
      'Command',
      `is ${total} characters${withSid}; text Commands are at most ${MAX_TEXT_CHARACTERS}`,
    );
  }
  return null;
}

/** The text the device receives: the SID and one space at the start or the end (FACTS.md). */
export function textWithSid(command: string, sid: string, includeSid: IncludeSid): string {
  if (includeSid === 'start') return `${sid} ${command}`;
  if (includeSid === 'end') return `${command} ${sid}`;
  return command;
}

/** An MO text longer than 160 characters is truncated (error 33111: "Command exceeded max length"). */
export function truncateMoText(text: string): { text: string; truncated: boolean } {
  const chars = [...text];
  if (chars.length <= MAX_TEXT_CHARACTERS) return { text, truncated: false };
  return { text: chars.slice(0, MAX_TEXT_CHARACTERS).join(''), truncated: true };
}
