import type { Encoding, MessageWaiting } from './dcs.js';
import type { Concat, Ports, RawIe } from './udh.js';
import type { Validity } from './validity.js';

/** What every decoded TPDU carries about its user data. Keys are the snake_case JSON keys the CLI prints. */
export interface UserDataFields {
  /** TP-PID as a number (0 = plain SMS, 0x40 = "type 0"/silent, 0x41-0x47 replace). */
  pid: number;
  /** TP-DCS as a number. */
  dcs: number;
  encoding: Encoding;
  /** Message class from the DCS, null when the DCS gives none. */
  class: 0 | 1 | 2 | 3 | null;
  message_waiting: MessageWaiting | null;
  /** The text for GSM-7 and UCS-2, null for 8-bit data. */
  text: string | null;
  /** The user data after the UDH as hex, for 8-bit and UCS-2 (octet-aligned); null for GSM-7. */
  data_hex: string | null;
  concat: Concat | null;
  ports: Ports | null;
  /** Information elements other than concatenation and ports, raw. */
  udh: RawIe[];
}

export interface DecodedDeliver extends UserDataFields {
  type: 'SMS-DELIVER';
  smsc: string | null;
  originator: string;
  /** Type-of-address octet of the originator (0x91 international, 0x81 unknown, 0xA1 national, 0xD0 alphanumeric). */
  originator_toa: number;
  /** TP-SCTS, ISO 8601 with the PDU's own offset; null when its digits are unreadable (see `warnings`). */
  timestamp: string | null;
  more_messages_to_send: boolean;
  status_report_indication: boolean;
  reply_path: boolean;
  warnings: string[];
}

export interface DecodedSubmit extends UserDataFields {
  type: 'SMS-SUBMIT';
  smsc: string | null;
  message_reference: number;
  destination: string;
  destination_toa: number;
  validity: Validity | null;
  status_report_requested: boolean;
  reject_duplicates: boolean;
  reply_path: boolean;
  warnings: string[];
}

/** TP-ST (TS 23.040 §9.2.3.15) in three words: 0x00-0x1F completed, 0x20-0x3F still trying, the rest failed. */
export type DeliveryStatus = 'delivered' | 'pending' | 'failed';

export interface DecodedStatusReport extends Omit<UserDataFields, 'pid' | 'dcs' | 'encoding'> {
  type: 'SMS-STATUS-REPORT';
  smsc: string | null;
  message_reference: number;
  recipient: string;
  recipient_toa: number;
  /** When the SMSC received the SMS-SUBMIT (TP-SCTS); null when unreadable (see `warnings`). */
  timestamp: string | null;
  /** When the SMSC delivered it or gave up (TP-DT); null when unreadable (see `warnings`). */
  discharge_time: string | null;
  status: number;
  delivery_status: DeliveryStatus;
  /** TP-SRQ: false when this reports on an SMS-SUBMIT, true on an SMS-COMMAND. */
  status_report_qualifier: 'submit' | 'command';
  more_messages_to_send: boolean;
  /** Optional parameters after TP-ST (TP-PI); null when absent. */
  pid: number | null;
  dcs: number | null;
  encoding: Encoding | null;
  warnings: string[];
}

/**
 * Every decoded TPDU also carries `warnings`: fields that could not be read but did not break the PDU's structure
 * (today: a timestamp with a digit above 9 or an impossible date, decoded as null). Each names the field, the octet
 * offset in the decoder's input and the octet's value, e.g. `discharge_time at octet 24 (0xA1): bad BCD digit in the
 * time zone; discharge_time is null`. Empty for a sound PDU.
 */
export type DecodedSms = DecodedDeliver | DecodedSubmit | DecodedStatusReport;

export interface DecodeOptions {
  /** The input starts with the SMSC prefix (`00` for none), as +CMGR/+CMGL/+CMT/+CDS print it. Default true. */
  smsc?: boolean;
  /** The `<length>` a modem printed with the PDU (TPDU octets, SMSC excluded); checked when given. */
  tpduLength?: number;
}

/** One SMS as AT+CMGS takes it: `AT+CMGS=<tpdu_length>`, then `pdu` and Ctrl-Z. */
export interface EncodedPart {
  /** Uppercase hex with the SMSC prefix (`00` for submit: use the SIM's SMSC). */
  pdu: string;
  /** Octets after the SMSC prefix. */
  tpdu_length: number;
}
