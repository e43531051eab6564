import { MAX_IP_COMMAND_BYTES } from './limits.js';

/**
 * A datagram's payload as the MQTT contract carries it: text when it is valid UTF-8 and the config prefers text,
 * otherwise binary as base64 (the cloud itself records every device-sent IP Command as binary). Pure.
 */
export type IpPayloadMode = 'text' | 'binary';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function payloadFromDatagram(bytes: Uint8Array, prefer: IpPayloadMode): { mode: IpPayloadMode; body: string } {
  if (prefer === 'text') {
    try {
      return { mode: 'text', body: strictUtf8.decode(bytes) };
    } catch {
      // not UTF-8: falls through to binary
    }
  }
  return { mode: 'binary', body: Buffer.from(bytes).toString('base64') };
}

/** A reply that cannot go out as one IP Command datagram. */
export class IpPayloadTooLargeError extends Error {
  override name = 'IpPayloadTooLargeError';
  readonly code = 'too_long';
  constructor(readonly bytes: number) {
    super(`the payload is ${bytes} bytes; one IP Command carries at most ${MAX_IP_COMMAND_BYTES}`);
  }
}

/** The bytes of the datagram for a reply body (UTF-8 text, or base64 for binary); refuses more than 1300 bytes. */
export function datagramFromPayload(body: string, mode: IpPayloadMode): Buffer {
  const bytes = mode === 'binary' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_IP_COMMAND_BYTES) throw new IpPayloadTooLargeError(bytes.length);
  return bytes;
}
