import { type DecodedSms, decodePdu, encodeDeliver, hexToBytes, PduError } from '../../src/sms/index.js';
import type { PowerState, SimulatedModemOptions } from './modem-core.js';
import type { ClockAccess, ModemIdentity, StorageAccess, Timers, UrcSink } from './modem-host.js';
import { CommandFailed, cms } from './result-codes.js';
import type { AtSettings } from './settings.js';
import type { MemoryName } from './sms-storage.js';
import { isHex, isoWithOffset } from './sms-time.js';
import { textModeCmt } from './text-mode.js';

/** An MT message to deliver: text (GSM-7 or UCS-2, split when long), 8-bit data as hex, or a ready SMS-DELIVER. */
export type InjectRequest = { from: string; text: string } | { from: string; hex: string } | { pdu: string };

export type DeliveryOutcome =
  | { outcome: 'stored'; memory: MemoryName; index: number }
  | { outcome: 'routed' }
  | { outcome: 'held'; reason: 'storage_full' | 'not_registered' | 'awaiting_ack' };

export interface InjectedPart {
  pdu: string;
  tpdu_length: number;
  delivery: DeliveryOutcome;
}

export class InjectError extends Error {
  override name = 'InjectError';
}

interface Pending {
  pdu: string;
  tpduLength: number;
}

/**
 * What MT delivery may use of the modem core: this and nothing else (it reads the settings, it changes them only
 * through `directRoutingTimedOut`).
 */
interface MtDeliveryHost
  extends ClockAccess,
    Pick<ModemIdentity, 'smsc'>,
    Pick<UrcSink, 'urc' | 'event'>,
    Timers,
    StorageAccess {
  readonly settings: AtSettings;
  readonly power: PowerState;
  isRegistered(): boolean;
  reportStorageFull(memory: MemoryName): void;
  readonly options: Pick<SimulatedModemOptions, 'networkRetryMs' | 'cnmaTimeoutMs'>;
  /** No +CNMA came in time: the modem disables routing (TS 27.005 §3.4.4). */
  directRoutingTimedOut(): void;
}

/** Builds the SMS-DELIVER PDUs for an injection request; throws InjectError for bad input. */
function buildDeliverParts(request: InjectRequest, core: ClockAccess & Pick<ModemIdentity, 'smsc'>): Pending[] {
  if (typeof request !== 'object' || request === null)
    throw new InjectError('expected {from, text}, {from, hex} or {pdu}');
  try {
    if ('pdu' in request) {
      const pdu = String(request.pdu);
      if (!isHex(pdu)) throw new InjectError('pdu must be an even number of hex digits');
      const decoded = decodePdu(pdu, { smsc: true });
      if (decoded.type !== 'SMS-DELIVER') throw new InjectError(`pdu is an ${decoded.type}, expected an SMS-DELIVER`);
      const smscOctets = Number.parseInt(pdu.slice(0, 2), 16);
      return [{ pdu: pdu.toUpperCase(), tpduLength: pdu.length / 2 - 1 - smscOctets }];
    }
    if (typeof request.from !== 'string' || request.from === '')
      throw new InjectError('from must be a non-empty string');
    const timestamp = isoWithOffset(core.simClock.now());
    if ('hex' in request) {
      if (typeof request.hex !== 'string' || !isHex(request.hex)) throw new InjectError('hex must be hex digits');
      return encodeDeliver({ from: request.from, data: hexToBytes(request.hex), timestamp, smsc: core.smsc }).map(
        toPending,
      );
    }
    if (typeof request.text !== 'string') throw new InjectError('text must be a string');
    return encodeDeliver({ from: request.from, text: request.text, timestamp, smsc: core.smsc }).map(toPending);
  } catch (error) {
    if (error instanceof InjectError) throw error;
    throw new InjectError(error instanceof Error ? error.message : String(error));
  }
}

function toPending(part: { pdu: string; tpdu_length: number }): Pending {
  return { pdu: part.pdu, tpduLength: part.tpdu_length };
}

function messageClass(pdu: string): number | null {
  try {
    const decoded: DecodedSms = decodePdu(pdu, { smsc: true });
    return decoded.type === 'SMS-DELIVER' ? decoded.class : null;
  } catch (error) {
    if (error instanceof PduError) return null;
    throw error;
  }
}

/**
 * The network side of MT delivery and the modem's routing of what arrives (TS 27.005 §3.4.1 +CNMI): store and
 * indicate with +CMTI, or route with +CMT (acknowledged with +CNMA when +CSMS=1). A message the modem cannot take
 * (storage full, not registered, +CMT unacknowledged) stays with the network, which retries it later — the modem
 * says nothing about it, as a real full SIM says nothing (FACTS.md).
 */
export class MtDelivery {
  /** Messages the network still holds for this subscriber, oldest first. */
  readonly held: Pending[] = [];
  private awaitingAck: { part: Pending; timer: NodeJS.Timeout } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly core: MtDeliveryHost) {}

  inject(request: InjectRequest): InjectedPart[] {
    const parts = buildDeliverParts(request, this.core);
    return parts.map((part) => ({ pdu: part.pdu, tpdu_length: part.tpduLength, delivery: this.deliver(part) }));
  }

  /** Storage or registration changed: the network tries what it holds again, after a short while. */
  scheduleRetry(): void {
    if (this.held.length === 0 || this.retryTimer) return;
    this.retryTimer = this.core.later(this.core.options.networkRetryMs ?? 200, () => {
      this.retryTimer = undefined;
      const waiting = this.held.splice(0);
      for (const part of waiting) this.deliver(part);
    });
  }

  /** Power cycle: the modem forgets an unacknowledged +CMT; the network still has it. */
  reset(): void {
    if (this.awaitingAck) this.held.unshift(this.awaitingAck.part);
    this.awaitingAck = undefined;
    this.retryTimer = undefined;
  }

  private hold(part: Pending, reason: 'storage_full' | 'not_registered' | 'awaiting_ack'): DeliveryOutcome {
    this.held.push(part);
    this.core.event('mt_held', { reason, pdu: part.pdu });
    return { outcome: 'held', reason };
  }

  private deliver(part: Pending): DeliveryOutcome {
    const core = this.core;
    if (!core.isRegistered() || core.power !== 'on') return this.hold(part, 'not_registered');
    const [, mt] = core.settings.cnmi;
    const cls = messageClass(part.pdu);
    const routeDirect = cls !== 2 && (mt === 2 || (mt === 3 && cls === 3));
    if (routeDirect) {
      if (this.awaitingAck) return this.hold(part, 'awaiting_ack');
      this.route(part);
      return { outcome: 'routed' };
    }
    const memory = core.settings.cpms[2];
    const index = core.storage.store(memory, {
      stat: 0,
      pdu: part.pdu,
      tpduLength: part.tpduLength,
      storedAt: this.core.simClock.now().toISOString(),
    });
    if (index === undefined) {
      // The network's attempt failed for lack of room: vendors that have a storage-full URC say so again.
      core.reportStorageFull(memory);
      return this.hold(part, 'storage_full');
    }
    core.event('stored', { memory, index, pdu: part.pdu });
    if (mt !== 0) core.urc([`+CMTI: "${memory}",${index}`]);
    // The message that took the last slot: from now on the vendor's storage-full URC is the only sign (no +CMTI).
    if (core.storage.isFull(memory)) core.reportStorageFull(memory);
    return { outcome: 'stored', memory, index };
  }

  private route(part: Pending): void {
    const core = this.core;
    const lines =
      core.settings.cmgf === 1
        ? textModeCmt(part.pdu, core.settings.csdh === 1, core.settings.cscs)
        : [`+CMT: ,${part.tpduLength}`, part.pdu];
    core.urc(lines);
    core.event('routed', { pdu: part.pdu });
    // With +CSMS=1 the TE must acknowledge; without it within the network's timeout the modem gives up, disables
    // routing (mt and ds to 0) and the network keeps the message (TS 27.005 §3.4.4 +CNMA).
    if (core.settings.csms !== 1) return;
    const timer = core.later(core.options.cnmaTimeoutMs ?? 15_000, () => {
      this.awaitingAck = undefined;
      core.directRoutingTimedOut();
      core.event('cnma_timeout', { pdu: part.pdu });
      this.held.unshift(part);
      this.scheduleRetry();
    });
    this.awaitingAck = { part, timer };
  }

  /** +CNMA: <n> 0/1 RP-ACK, 2 RP-ERROR (the network will retry). */
  acknowledge(n: number): void {
    if (!this.awaitingAck) throw new CommandFailed(cms(340));
    const { part, timer } = this.awaitingAck;
    this.core.cancel(timer);
    this.awaitingAck = undefined;
    if (n === 2) this.held.push(part);
    this.core.event('acknowledged', { pdu: part.pdu, positive: n !== 2 });
    this.scheduleRetry();
  }
}
