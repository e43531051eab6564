import { MAX_IP_COMMAND_BYTES } from './limits.js';

/** A datagram that cannot go out as one IP Command: over 1300 bytes. */
export class IpPayloadTooLargeError extends Error {
  override name = 'IpPayloadTooLargeError';
  readonly code = 'too_long';
  constructor(readonly bytes: number) {
    super(`the payload is ${bytes} bytes; one IP Command carries at most ${MAX_IP_COMMAND_BYTES}`);
  }
}
