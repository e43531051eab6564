import { readAddress, readSmsc } from './address.js';
import { type DataCoding, parseDcs } from './dcs.js';
import { PduError } from './errors.js';
import { decodeGsm7 } from './gsm7.js';
import { bytesToHex, hexToBytes, OctetReader } from './reader.js';
import { septetOctets, unpackSeptets } from './septets.js';
import { readTimestamp } from './timestamp.js';
import type {
  DecodedDeliver,
  DecodedSms,
  DecodedStatusReport,
  DecodedSubmit,
  DecodeOptions,
  DeliveryStatus,
  UserDataFields,
} from './types.js';
import { decodeUcs2 } from './ucs2.js';
import { parseUdh } from './udh.js';
import { readValidity } from './validity.js';

/**
 * Decodes one PDU (hex). Throws PduError naming the field and octet offset for structural damage (a length that
 * disagrees, a truncated field, a reserved message type); no other exception escapes (an unexpected one is wrapped as
 * field `internal`, which the property tests treat as a bug). A timestamp whose digits are unreadable does not reject
 * the PDU: it decodes as null and the result's `warnings` say which octet it was.
 */
export function decodePdu(hex: string, options: DecodeOptions = {}): DecodedSms {
  try {
    return decodeOrThrow(hex, options);
  } catch (error) {
    if (error instanceof PduError) throw error;
    throw new PduError('internal', 0, `decoder bug: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeOrThrow(hex: string, options: DecodeOptions): DecodedSms {
  if (typeof hex !== 'string') throw new PduError('pdu', 0, 'PDU is not a string');
  const reader = new OctetReader(hexToBytes(hex));
  const smsc = options.smsc === false ? null : (readSmsc(reader)?.address ?? null);
  const tpduStart = reader.pos;
  const tpduLength = reader.remaining;
  if (options.tpduLength !== undefined && options.tpduLength !== tpduLength) {
    throw new PduError(
      'tpdu_length',
      tpduStart,
      `modem said ${options.tpduLength} TPDU octets, the PDU has ${tpduLength}`,
    );
  }
  const first = reader.u8('first_octet');
  switch (first & 0x03) {
    case 0:
      return decodeDeliver(reader, first, smsc);
    case 1:
      return decodeSubmit(reader, first, smsc);
    case 2:
      return decodeStatusReport(reader, first, smsc);
    default:
      throw new PduError('first_octet', tpduStart, 'message type indicator 3 is reserved');
  }
}

/** TS 23.040 §9.2.2.1 SMS-DELIVER. */
function decodeDeliver(reader: OctetReader, first: number, smsc: string | null): DecodedDeliver {
  const originator = readAddress(reader, 'originator');
  const pid = reader.u8('pid');
  const dcsOffset = reader.pos;
  const dcs = reader.u8('dcs');
  const coding = parseDcs(dcs, dcsOffset);
  const warnings: string[] = [];
  const timestamp = readTimestamp(reader, 'timestamp', warnings);
  const userData = readUserData(reader, coding, (first & 0x40) !== 0);
  return {
    type: 'SMS-DELIVER',
    smsc,
    originator: originator.address,
    originator_toa: originator.toa,
    timestamp,
    ...userDataFields(pid, dcs, coding, userData),
    more_messages_to_send: (first & 0x04) === 0,
    status_report_indication: (first & 0x20) !== 0,
    reply_path: (first & 0x80) !== 0,
    warnings,
  };
}

/** TS 23.040 §9.2.2.2 SMS-SUBMIT. */
function decodeSubmit(reader: OctetReader, first: number, smsc: string | null): DecodedSubmit {
  const message_reference = reader.u8('message_reference');
  const destination = readAddress(reader, 'destination');
  const pid = reader.u8('pid');
  const dcsOffset = reader.pos;
  const dcs = reader.u8('dcs');
  const coding = parseDcs(dcs, dcsOffset);
  const warnings: string[] = [];
  const validity = readValidity(reader, (first >> 3) & 0x03, warnings);
  const userData = readUserData(reader, coding, (first & 0x40) !== 0);
  return {
    type: 'SMS-SUBMIT',
    smsc,
    message_reference,
    destination: destination.address,
    destination_toa: destination.toa,
    validity,
    ...userDataFields(pid, dcs, coding, userData),
    status_report_requested: (first & 0x20) !== 0,
    reject_duplicates: (first & 0x04) !== 0,
    reply_path: (first & 0x80) !== 0,
    warnings,
  };
}

function deliveryStatus(status: number): DeliveryStatus {
  if (status < 0x20) return 'delivered';
  if (status < 0x40) return 'pending';
  return 'failed';
}

/** TS 23.040 §9.2.2.3 SMS-STATUS-REPORT, with the optional TP-PI and what it announces. */
function decodeStatusReport(reader: OctetReader, first: number, smsc: string | null): DecodedStatusReport {
  const message_reference = reader.u8('message_reference');
  const recipient = readAddress(reader, 'recipient');
  const warnings: string[] = [];
  const timestamp = readTimestamp(reader, 'timestamp', warnings);
  const discharge_time = readTimestamp(reader, 'discharge_time', warnings);
  const status = reader.u8('status');
  let pid: number | null = null;
  let dcs: number | null = null;
  let coding: DataCoding | null = null;
  let userData: UserData | null = null;
  if (reader.remaining > 0) {
    const pi = reader.u8('parameter_indicator');
    // Further TP-PI octets (extension bit 7) carry only reserved bits today; skip them.
    let extension = pi;
    while (extension & 0x80) extension = reader.u8('parameter_indicator');
    if (pi & 0x01) pid = reader.u8('pid');
    if (pi & 0x02) {
      const dcsOffset = reader.pos;
      dcs = reader.u8('dcs');
      coding = parseDcs(dcs, dcsOffset);
    }
    if (pi & 0x04) userData = readUserData(reader, coding ?? parseDcs(0, reader.pos), (first & 0x40) !== 0);
    if (reader.remaining > 0) {
      throw new PduError(
        'parameter_indicator',
        reader.pos,
        `${reader.remaining} octets follow that TP-PI does not announce`,
      );
    }
  }
  return {
    type: 'SMS-STATUS-REPORT',
    smsc,
    message_reference,
    recipient: recipient.address,
    recipient_toa: recipient.toa,
    timestamp,
    discharge_time,
    status,
    delivery_status: deliveryStatus(status),
    status_report_qualifier: first & 0x20 ? 'command' : 'submit',
    more_messages_to_send: (first & 0x04) === 0,
    pid,
    dcs,
    encoding: userData ? (coding?.encoding ?? 'gsm7') : (coding?.encoding ?? null),
    class: coding?.class ?? null,
    message_waiting: coding?.message_waiting ?? null,
    text: userData?.text ?? null,
    data_hex: userData?.data_hex ?? null,
    concat: userData?.udh?.concat ?? null,
    ports: userData?.udh?.ports ?? null,
    udh: userData?.udh?.other ?? [],
    warnings,
  };
}

interface UserData {
  text: string | null;
  data_hex: string | null;
  udh: ReturnType<typeof parseUdh> | null;
}

function userDataFields(pid: number, dcs: number, coding: DataCoding, userData: UserData): UserDataFields {
  return {
    pid,
    dcs,
    encoding: coding.encoding,
    class: coding.class,
    message_waiting: coding.message_waiting,
    text: userData.text,
    data_hex: userData.data_hex,
    concat: userData.udh?.concat ?? null,
    ports: userData.udh?.ports ?? null,
    udh: userData.udh?.other ?? [],
  };
}

/**
 * TP-UDL and TP-UD (§9.2.3.16, §9.2.3.24). The UDL counts septets for GSM-7 (header and fill bits included) and
 * octets otherwise; the data must be exactly as long as it says: fewer octets is truncation, more is a length
 * disagreement. The UDH must fit inside the user data.
 */
function readUserData(reader: OctetReader, coding: DataCoding, udhi: boolean): UserData {
  const udlOffset = reader.pos;
  const udl = reader.u8('user_data_length');
  const gsm7 = coding.encoding === 'gsm7';
  if (udl > (gsm7 ? 160 : 140)) {
    throw new PduError(
      'user_data_length',
      udlOffset,
      `${udl} ${gsm7 ? 'septets' : 'octets'} exceeds ${gsm7 ? 160 : 140}`,
    );
  }
  const octets = gsm7 ? septetOctets(udl) : udl;
  if (reader.remaining < octets) {
    throw new PduError(
      'user_data_length',
      udlOffset,
      `says ${udl} ${gsm7 ? 'septets' : 'octets'} (${octets} octets) but only ${reader.remaining} octets follow`,
    );
  }
  if (reader.remaining > octets) {
    throw new PduError(
      'user_data',
      reader.pos + octets,
      `${reader.remaining - octets} octets after the end of the user data`,
    );
  }
  const udStart = reader.pos;
  const ud = reader.take(octets, 'user_data');
  let headerOctets = 0;
  let udh: UserData['udh'] = null;
  if (udhi) {
    if (octets === 0) throw new PduError('udh_length', udStart, 'UDHI is set but the user data is empty');
    headerOctets = ud[0]! + 1;
    if (headerOctets > octets) {
      throw new PduError(
        'udh_length',
        udStart,
        `header of ${headerOctets} octets exceeds the ${octets} octets of user data`,
      );
    }
    udh = parseUdh(ud.subarray(1, headerOctets), udStart + 1);
  }
  if (gsm7) {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    if (headerSeptets > udl) {
      throw new PduError('udh_length', udStart, `header of ${headerSeptets} septets exceeds the UDL of ${udl} septets`);
    }
    const septets = unpackSeptets(ud, udl - headerSeptets, headerSeptets);
    return { text: decodeGsm7(septets, 'text', udStart + headerOctets), data_hex: null, udh };
  }
  const body = ud.subarray(headerOctets);
  if (coding.encoding === 'ucs2') {
    if (body.length % 2 !== 0) {
      throw new PduError(
        'user_data',
        udStart + headerOctets,
        `UCS-2 text has an odd number of octets (${body.length})`,
      );
    }
    return { text: decodeUcs2(body), data_hex: bytesToHex(body), udh };
  }
  return { text: null, data_hex: bytesToHex(body), udh };
}
