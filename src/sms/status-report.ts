import { encodeAddress, encodeSmsc } from './address.js';
import { DEFAULT_SMSC } from './encode-deliver.js';
import { checkOctet } from './options.js';
import { bytesToHex } from './reader.js';
import { encodeTimestamp } from './timestamp.js';
import type { EncodedPart } from './types.js';

export interface StatusReportOptions {
  /** TP-RA: the number the reported SMS was sent to. */
  recipient: string;
  /** TP-MR of the SMS-SUBMIT this reports on (what +CMGS answered). */
  messageReference: number;
  /** TP-SCTS: when the SMSC accepted the submit. */
  timestamp: string;
  /** TP-DT: when it was delivered or given up. */
  dischargeTime: string;
  /** TP-ST: 0 delivered, 0x20-0x3F still trying, 0x40+ failed (TS 23.040 §9.2.3.15). */
  status: number;
  smsc?: string;
}

/** An SMS-STATUS-REPORT (TS 23.040 §9.2.2.3) as a modem prints it in +CDS / +CMGR, SMSC prefix first. */
export function encodeStatusReport(options: StatusReportOptions): EncodedPart {
  const smsc = encodeSmsc(options.smsc === undefined ? DEFAULT_SMSC : options.smsc);
  const tpdu = [
    0x06, // MTI 10, TP-MMS set (no more messages), TP-SRQ 0 (reports on an SMS-SUBMIT)
    checkOctet(options.messageReference, 'messageReference'),
    ...encodeAddress(options.recipient, 'recipient'),
    ...encodeTimestamp(options.timestamp, 'timestamp'),
    ...encodeTimestamp(options.dischargeTime, 'dischargeTime'),
    checkOctet(options.status, 'status'),
  ];
  return { pdu: bytesToHex([...smsc, ...tpdu]), tpdu_length: tpdu.length };
}
