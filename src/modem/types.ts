import type { DecodedSms } from '../sms/index.js';
import type { Operator, Registration, Signal } from './parsers/network.js';
import type { SimBlockCause, SimLock } from './sim-block.js';

/**
 * What the bridge sees of the modem, in the order a start-up passes through them:
 * - `disconnected`: the port is gone (or not open yet) and is being reopened with backoff;
 * - `initializing`: sync/init running;
 * - `not_initialized`: the port is open but initialisation failed (SIM missing, PIN missing or refused, modem not
 *   answering, a reset after it stopped answering) and is tried again after the reopen pause. Nothing can be sent;
 *   `reason` says why. When the SIM is blocked (locked, PIN refused, PUK, missing, failed) `cause` says which
 *   (sim-block.ts) and the driver waits calmly, rechecking the SIM slowly, without changing what the predicates
 *   below answer;
 * - `ready`: initialised and receiving;
 * - `degraded`: initialised but something a user should know about (not registered, storage full, commands timing
 *   out). It still receives, and sends are tried (they fail transiently, and retry, while not registered).
 */
export const MODEM_STATES = ['disconnected', 'initializing', 'not_initialized', 'ready', 'degraded'] as const;
export type ModemState = (typeof MODEM_STATES)[number];

/** The modem was initialised in this session and still is: it receives and has a channel for commands. */
export function isInitialised(state: ModemState): boolean {
  return state === 'ready' || state === 'degraded';
}

/**
 * Whether a reply may be handed to the modem now. While not, replies wait in the journal without spending an attempt
 * (README: they wait until the modem is ready), and the owner wakes the sender when this turns true.
 */
export function canSend(state: ModemState): boolean {
  return isInitialised(state);
}

export interface ModemIdentity {
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  imei: string | null;
  imsi: string | null;
  iccid: string | null;
}

export interface NetworkStatus {
  registration: Registration | null;
  operator: Operator['name'] | null;
  access_technology: Operator['accessTechnology'] | null;
  signal: Signal;
}

export interface StorageStatus {
  memory: string | null;
  used: number | null;
  total: number | null;
}

/** A received SMS-DELIVER or SMS-STATUS-REPORT as the consumer gets it. */
export interface ReceivedSms {
  /** `storage`: read from modem storage (+CMTI/+CDSI/sweep); `direct`: routed with +CMT/+CDS (acked with +CNMA). */
  source: 'storage' | 'direct';
  memory: string | null;
  index: number | null;
  /** The PDU as the modem printed it (hex, with the SMSC prefix unless the modem omitted it). */
  pdu: string;
  tpdu_length: number;
  /** Null when the PDU could not be decoded; then `decode_error` says why and `pdu` is still there to journal. */
  decoded: DecodedSms | null;
  decode_error: { message: string; field: string | null; offset: number | null } | null;
}

/**
 * Where received messages go (the bridge implements it with the SQLite journal). `accept` resolves once the message
 * is durable; only then does the driver delete it from the modem (+CMGD) or acknowledge it (+CNMA). Rejecting leaves
 * the message in storage for the next sweep. Delivery is at-least-once: after a crash between commit and delete the
 * same PDU comes again, so the consumer dedupes (e.g. on the PDU hex).
 */
export interface MessageConsumer {
  accept(sms: ReceivedSms): Promise<void>;
}

export interface ModemStatus {
  state: ModemState;
  /** Why the state is what it is (`not registered`, `SIM PIN required but modem.pin is not set` …). */
  reason: string | null;
  /** Machine-readable: why the SIM keeps the modem `not_initialized` (sim-block.ts), else null. */
  cause: SimBlockCause | null;
  /** What the blocked SIM waits for and the tries left, else null. */
  sim_lock: SimLock | null;
  identity: ModemIdentity;
  /**
   * The network as last read (status poll, +CREG URC). Only current while the modem is initialised: after an unplug
   * or a failed init it is what the modem said before, `network_read_at` says when (modem-adapter.ts shows it so).
   */
  network: NetworkStatus;
  network_read_at: number | null;
  storage: StorageStatus;
  profile: string;
}
