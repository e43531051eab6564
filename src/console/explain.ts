import { codeForText, textForCode } from '../at/error-codes.js';
import { recogniseFinal } from '../at/final-result.js';
import { type DecodedSms, decodePdu } from '../sms/index.js';

/**
 * What the console prints beside a final result: `+CME ERROR: 10` → "SIM not inserted (3GPP TS 27.007 §9.2)", and a
 * verbose `+CMS ERROR: invalid memory index` → its number (AT+CMEE=2 hides the codes people look up).
 */
export function explainFinal(line: string): string | null {
  const final = recogniseFinal(line);
  if (!final || final.kind === 'ok' || final.kind === 'error') return null;
  const spec = final.kind === 'cme' ? '3GPP TS 27.007 §9.2' : '3GPP TS 27.005 §3.2.5';
  const detail = line.replace(/^\+CM[ES] ERROR:\s*/i, '').trim();
  if (/^\d+$/.test(detail)) {
    const text = textForCode(final.kind, Number(detail));
    return text ? `${text} (${spec})` : `code ${detail}: not a standard code, see the modem's AT manual`;
  }
  const code = codeForText(final.kind, detail);
  return code !== undefined ? `code ${code} (${spec})` : null;
}

/** One line about a decoded PDU: type, the other party, time, and the text (or the 8-bit data as hex). */
function summarisePdu(sms: DecodedSms): string {
  const parts = sms.concat ? ` part ${sms.concat.seq}/${sms.concat.total}` : '';
  // The codec's warnings (an unreadable timestamp, decoded as null) follow the line, so nothing it noticed is hidden.
  const warnings = sms.warnings.map((warning) => ` (warning: ${warning})`).join('');
  if (sms.type === 'SMS-STATUS-REPORT') {
    return `${sms.type} for ${sms.recipient}, reference ${sms.message_reference}: ${sms.delivery_status} (TP-ST ${sms.status}) at ${sms.discharge_time ?? 'an unreadable time'}${warnings}`;
  }
  const body = sms.text !== null ? JSON.stringify(sms.text) : `8-bit data ${sms.data_hex ?? ''}`;
  if (sms.type === 'SMS-DELIVER') {
    return `${sms.type} from ${sms.originator} at ${sms.timestamp ?? 'an unreadable time'}${parts}: ${body}${warnings}`;
  }
  return `${sms.type} to ${sms.destination}${parts}: ${body}${warnings}`;
}

/** Decodes a PDU line as +CMGR/+CMGL/+CMT/+CDS print it (with the SMSC prefix); a bad one says why. */
export function describePdu(hex: string, tpduLength?: number): string {
  try {
    return summarisePdu(decodePdu(hex, tpduLength === undefined ? {} : { tpduLength }));
  } catch (error) {
    return `not a valid PDU: ${(error as Error).message}`;
  }
}
