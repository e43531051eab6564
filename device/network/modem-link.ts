import { InjectError, type InjectRequest, type SentSms, type SimulatedModem } from '../modem/index.js';
import type { DeliveryOutcome, DeviceInfo, MobileOriginatedSms, MobileTerminatedSms, SmsLink } from './sms-link.js';

/**
 * The SmsLink of the AT modem simulator (device/modem), in-process. MT: `injectSms` builds the SMS-DELIVER parts
 * (8-bit data for binary Commands — the likely wire form, FACTS.md) and the modem stores or routes each; a part the
 * modem cannot take now is held by its network side and retried, so delivery waits for the `stored`/`routed` event
 * of every part until the deadline. MO: every SMS-SUBMIT the modem sends (`sent` event) is reassembled when
 * concatenated and handed to the emulator.
 *
 * Known limit: a part still held at the deadline stays with the simulated modem's network, which may store it later;
 * the Command is reported failed all the same (as the API would after its own deadline).
 */
export interface ModemSmsLink extends SmsLink {
  /** Stops listening to the modem (the modem itself is not touched). */
  dispose(): void;
}

function injectRequest(sms: MobileTerminatedSms): InjectRequest {
  return 'text' in sms
    ? { from: sms.from, text: sms.text }
    : { from: sms.from, hex: Buffer.from(sms.bytes).toString('hex') };
}

/** Collects the parts of concatenated SMS-SUBMITs (TS 23.040 §9.2.3.24.1) into whole messages. */
class SubmitAssembler {
  private readonly pending = new Map<string, Map<number, SentSms>>();

  add(sms: SentSms): SentSms[] | undefined {
    if (!sms.concat || sms.concat.total <= 1) return [sms];
    const key = `${sms.destination}|${sms.concat.ref}|${sms.concat.total}`;
    const parts = this.pending.get(key) ?? new Map<number, SentSms>();
    parts.set(sms.concat.seq, sms);
    this.pending.set(key, parts);
    if (parts.size < sms.concat.total) return undefined;
    this.pending.delete(key);
    return [...parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  }
}

function toMobileOriginated(parts: SentSms[]): MobileOriginatedSms {
  const first = parts[0]!;
  if (parts.every((p) => p.text !== null)) return { to: first.destination, text: parts.map((p) => p.text).join('') };
  const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.data_hex ?? '', 'hex')));
  return { to: first.destination, bytes: new Uint8Array(bytes) };
}

export function modemSmsLink(modem: SimulatedModem): ModemSmsLink {
  const listeners = new Set<(sms: MobileOriginatedSms) => void>();
  const assembler = new SubmitAssembler();
  const onSent = (sms: SentSms) => {
    // The simulated network reported this MO as undeliverable: the cloud never saw it.
    if (sms.outcome === 'failed') return;
    const parts = assembler.add(sms);
    if (!parts) return;
    const message = toMobileOriginated(parts);
    for (const listener of listeners) listener(message);
  };
  modem.on('sent', onSent);

  return {
    deliver(sms, { deadlineMs, signal }) {
      const state = modem.state();
      if (state.sim !== 'ready') {
        return Promise.resolve({ delivered: false, reason: `SIM not ready on the device (${state.sim})` });
      }
      return new Promise<DeliveryOutcome>((resolve) => {
        const waiting = new Set<string>();
        let heldReason = 'not delivered';
        const finish = (outcome: DeliveryOutcome) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          modem.off('stored', onArrived);
          modem.off('routed', onArrived);
          resolve(outcome);
        };
        // Subscribed before injecting: a held part can be stored by the modem's retry at any moment after.
        const onArrived = (event: { pdu: string }) => {
          if (!waiting.delete(event.pdu.toUpperCase())) return;
          if (waiting.size === 0) finish({ delivered: true });
        };
        const onAbort = () => finish({ delivered: false, reason: 'the emulator stopped' });
        if (signal?.aborted) {
          resolve({ delivered: false, reason: 'the emulator stopped' });
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(
          () => finish({ delivered: false, reason: `${heldReason} within ${deadlineMs} ms` }),
          deadlineMs,
        );
        modem.on('stored', onArrived);
        modem.on('routed', onArrived);
        let parts: ReturnType<SimulatedModem['injectSms']>;
        try {
          parts = modem.injectSms(injectRequest(sms));
        } catch (error) {
          const reason = error instanceof InjectError ? error.message : String(error);
          finish({ delivered: false, reason: `the device refused the SMS: ${reason}` });
          return;
        }
        for (const part of parts) {
          if (part.delivery.outcome === 'held') {
            waiting.add(part.pdu.toUpperCase());
            heldReason =
              part.delivery.reason === 'storage_full' ? 'SMS storage full' : `held (${part.delivery.reason})`;
          }
        }
        if (waiting.size === 0) finish({ delivered: true });
      });
    },
    onMobileOriginated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    deviceInfo(): DeviceInfo {
      const state = modem.state();
      const imsi = state.identity.imsi;
      return {
        imei: state.identity.imei,
        operatorMcc: imsi.slice(0, 3),
        operatorMnc: imsi.slice(3, 6),
        ...(state.operator ? { operatorName: state.operator } : {}),
      };
    },
    dispose() {
      modem.off('sent', onSent);
      listeners.clear();
    },
  };
}
