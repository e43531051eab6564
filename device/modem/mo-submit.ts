import {
  type DecodedSubmit,
  decodePdu,
  encodeStatusReport,
  encodeSubmit,
  hexToBytes,
  PduError,
} from '../../src/sms/index.js';
import type { ModemFaults } from './faults.js';
import type { SimulatedModemOptions } from './modem-core.js';
import type { ClockAccess, ModemIdentity, StorageAccess, Timers, UrcSink } from './modem-host.js';
import { CommandFailed, cms } from './result-codes.js';
import type { AtSettings } from './settings.js';
import { isHex, isoWithOffset } from './sms-time.js';

/**
 * What MO submission may use of the modem core: this and nothing else (it changes no setting; of the faults it only
 * counts down sendError).
 */
interface MoSubmitHost
  extends ClockAccess,
    Pick<ModemIdentity, 'smsc'>,
    Pick<UrcSink, 'urc' | 'event'>,
    Pick<Timers, 'later'>,
    StorageAccess {
  readonly settings: AtSettings;
  readonly faults: Readonly<Pick<ModemFaults, 'deliveryOutcome' | 'badStatusReportTime'>>;
  readonly options: Pick<SimulatedModemOptions, 'statusReportDelayMs'>;
  isRegistered(): boolean;
  requireSms(): void;
  takeSendFault(): number | undefined;
}

/** One MO message as the network received it: the decoded SMS-SUBMIT with the TP-MR the modem assigned. */
export interface SentSms extends DecodedSubmit {
  /** The PDU as transmitted (TP-MR filled in), SMSC prefix first. */
  pdu: string;
  tpdu_length: number;
  sent_at: string;
  /** What the simulated network did with it (the deliveryOutcome fault at send time). */
  outcome: 'delivered' | 'failed' | 'pending';
}

/** TP-ST values reported back (TS 23.040 §9.2.3.15): 0x00 received by the SME, 0x20 congestion (still trying), 0x41 incompatible destination. */
const TP_STATUS = { delivered: 0x00, pending: 0x20, failed: 0x41 } as const;

/** A PDU the TE wrote after `AT+CMGS=<length>` / `AT+CMGW=<length>`, checked (TS 27.005 §3.5.1: 304 when invalid). */
export function checkSubmitPdu(hex: string, declaredLength: number): { pdu: string; smscOctets: number } {
  const pdu = hex.trim().toUpperCase();
  if (!isHex(pdu) || pdu.length < 4) throw new CommandFailed(cms(304));
  const smscOctets = Number.parseInt(pdu.slice(0, 2), 16);
  if (pdu.length / 2 - 1 - smscOctets !== declaredLength) throw new CommandFailed(cms(304));
  try {
    const decoded = decodePdu(pdu, { smsc: true, tpduLength: declaredLength });
    if (decoded.type !== 'SMS-SUBMIT') throw new CommandFailed(cms(304));
  } catch (error) {
    if (error instanceof PduError) throw new CommandFailed(cms(304));
    throw error;
  }
  return { pdu, smscOctets };
}

/**
 * MO submission: +CMGS (PDU and text mode) and +CMSS. The modem fills in TP-MR from its own counter (TS 23.040
 * §9.2.3.6: the MS assigns it, incrementing per submit), which survives reboots as it lives on the SIM (EF_SMSS).
 */
export class MoSubmission {
  readonly sent: SentSms[] = [];
  private nextReference = 0;

  constructor(private readonly core: MoSubmitHost) {}

  /** Checks whether a send can go out now; throws the +CMS ERROR a real modem gives otherwise. */
  private precheck(): void {
    this.core.requireSms();
    const code = this.core.takeSendFault();
    if (code !== undefined) throw new CommandFailed(cms(code));
    if (!this.core.isRegistered()) throw new CommandFailed(cms(331));
  }

  submitPdu(hex: string, declaredLength: number): number {
    const { pdu, smscOctets } = checkSubmitPdu(hex, declaredLength);
    this.precheck();
    // A PDU without its own SMSC ("00" prefix, as the daemon sends) goes to the one AT+CSCA set; with none, 27.005
    // §3.2.5's 330 "SMSC address unknown".
    if (smscOctets === 0 && this.core.settings.csca.address === '') throw new CommandFailed(cms(330));
    return this.transmit(pdu, smscOctets);
  }

  /** Text mode: the text in the current character set becomes one SMS-SUBMIT (305 when it does not fit one). */
  submitText(destination: string, text: string): number {
    let parts: { pdu: string }[];
    try {
      parts = encodeSubmit({ to: destination, text, statusReport: false });
    } catch {
      throw new CommandFailed(cms(305));
    }
    if (parts.length !== 1) throw new CommandFailed(cms(305));
    this.precheck();
    return this.transmit(parts[0]!.pdu, 0);
  }

  /** +CMSS: send a stored SMS-SUBMIT, optionally to another destination. */
  submitStored(pdu: string, destination?: string): number {
    const smscOctets = Number.parseInt(pdu.slice(0, 2), 16);
    let outgoing = pdu;
    if (destination) {
      const decoded = decodePdu(pdu, { smsc: true });
      if (decoded.type !== 'SMS-SUBMIT') throw new CommandFailed(cms(302));
      const parts = encodeSubmit({
        to: destination,
        ...(decoded.text !== null ? { text: decoded.text } : { data: hexToBytes(decoded.data_hex ?? '') }),
        statusReport: decoded.status_report_requested,
      });
      outgoing = parts[0]!.pdu;
      this.precheck();
      return this.transmit(outgoing, 0);
    }
    if (decodePdu(pdu, { smsc: true }).type !== 'SMS-SUBMIT') throw new CommandFailed(cms(302));
    this.precheck();
    return this.transmit(outgoing, smscOctets);
  }

  private transmit(pdu: string, smscOctets: number): number {
    const reference = this.nextReference;
    this.nextReference = (this.nextReference + 1) % 256;
    // TP-MR is the second octet of the TPDU.
    const mrOffset = (1 + smscOctets + 1) * 2;
    const transmitted = `${pdu.slice(0, mrOffset)}${reference.toString(16).toUpperCase().padStart(2, '0')}${pdu.slice(mrOffset + 2)}`;
    const decoded = decodePdu(transmitted, { smsc: true }) as DecodedSubmit;
    const outcome = this.core.faults.deliveryOutcome;
    const sms: SentSms = {
      ...decoded,
      pdu: transmitted,
      tpdu_length: transmitted.length / 2 - 1 - smscOctets,
      sent_at: this.core.simClock.now().toISOString(),
      outcome,
    };
    this.sent.push(sms);
    this.core.event('sent', sms);
    if (decoded.status_report_requested) this.scheduleStatusReport(sms);
    return reference;
  }

  /** The SMSC's SMS-STATUS-REPORT, routed by +CNMI <ds> (1: +CDS, 2: stored in SR and +CDSI). */
  private scheduleStatusReport(sms: SentSms): void {
    const core = this.core;
    const submittedAt = isoWithOffset(core.simClock.now());
    core.later(core.options.statusReportDelayMs ?? 100, () => {
      const report = encodeStatusReport({
        recipient: sms.destination,
        messageReference: sms.message_reference,
        timestamp: submittedAt,
        dischargeTime: isoWithOffset(core.simClock.now()),
        status: TP_STATUS[sms.outcome],
        smsc: core.smsc,
      });
      // TP-ST is the last octet, so the TP-DT zone octet is the one before it: its high nibble becomes 0xA.
      if (core.faults.badStatusReportTime) {
        const zone = Number.parseInt(report.pdu.slice(-4, -2), 16);
        report.pdu = `${report.pdu.slice(0, -4)}${(0xa0 | (zone & 0x0f)).toString(16).toUpperCase()}${report.pdu.slice(-2)}`;
      }
      const ds = core.settings.cnmi[3];
      core.event('status_report', { message_reference: sms.message_reference, status: TP_STATUS[sms.outcome] });
      if (ds === 1) {
        core.urc([`+CDS: ${report.tpdu_length}`, report.pdu]);
      } else if (ds === 2) {
        const index = core.storage.store('SR', {
          stat: 0,
          pdu: report.pdu,
          tpduLength: report.tpdu_length,
          storedAt: this.core.simClock.now().toISOString(),
        });
        if (index !== undefined) core.urc([`+CDSI: "SR",${index}`]);
      }
    });
  }
}
