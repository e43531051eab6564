import type { StatusEvent } from '../store/index.js';

/**
 * The typed MQTT API (ARCHITECTURE.md, "MQTT topics"): every payload the bridge publishes is built here, so their
 * shapes change in one place only (and with a migration note in README).
 */

/**
 * Where a message came from when one gateway runs a daemon per modem: the instance name (config `instance.name`,
 * null for the unnamed single-modem daemon) and the SIM's ICCID (null while the modem's identity is not read yet).
 * Added to `command/received`, `sms/rejected` and `command/status`.
 */
export interface Origin {
  instance: string | null;
  iccid: string | null;
}

export interface CommandStatusPayload {
  transaction: string | null;
  id: string | null;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  message_reference: number | null;
  error: { code: string; message: string } | null;
  at: string;
}

export interface BridgeResponsePayload {
  status: 'ok' | 'error';
  data: unknown;
  error: string | null;
  transaction: string | null;
}

export function commandStatusPayload(event: StatusEvent): CommandStatusPayload {
  return {
    transaction: event.transaction,
    id: event.reply_id,
    status: event.status,
    message_reference: event.message_reference,
    error: event.error ? { code: event.error.code, message: event.error.message } : null,
    at: new Date(event.at).toISOString(),
  };
}

/** A reply refused before it reached the journal: it never gets an id, but the caller's transaction comes back. */
export function rejectedReplyPayload(
  transaction: string | null,
  code: string,
  message: string,
  at: Date,
): CommandStatusPayload {
  return {
    transaction,
    id: null,
    status: 'failed',
    message_reference: null,
    error: { code, message },
    at: at.toISOString(),
  };
}

export interface Alarm {
  code: string;
  message: string;
}

/**
 * `{"state":"online"}` as the contract says; while something needs a person (the journal cannot be written), an
 * `alarms` list is added, so the usual payload stays byte-identical to the last will's shape.
 */
export function bridgeStatePayload(state: 'online' | 'offline', alarms: readonly Alarm[] = []): string {
  return JSON.stringify(alarms.length > 0 ? { state, alarms } : { state });
}
