import type { CommandRecord } from './inbound.js';

/**
 * A Super SIM IP Command (one UDP datagram) as the `command/received` payload: the fields of an SMS command plus
 * `"transport":"ip"`. Text when the bytes are valid UTF-8 and text is preferred (`ip_commands.payload_mode`), else
 * binary as base64 — the cloud's own records of device-sent IP Commands are always binary. A datagram has no SID, no
 * send time and one part. Pure: the id and the time come from the caller.
 */
export interface IpCommandRecord extends CommandRecord {
  transport: 'ip';
}

export interface DatagramInput {
  id: string;
  bytes: Uint8Array;
  from: { address: string; port: number };
  receivedAt: number;
  prefer: 'text' | 'binary';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function asText(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export function commandFromDatagram(input: DatagramInput): IpCommandRecord {
  const text = input.prefer === 'text' ? asText(input.bytes) : null;
  return {
    id: input.id,
    sid: null,
    mode: text === null ? 'binary' : 'text',
    body: text ?? Buffer.from(input.bytes).toString('base64'),
    from: `${input.from.address}:${input.from.port}`,
    sent_at: null,
    received_at: new Date(input.receivedAt).toISOString(),
    parts: 1,
    partial: false,
    transport: 'ip',
  };
}
