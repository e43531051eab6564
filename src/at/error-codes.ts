/**
 * Numeric ↔ verbose texts for +CME ERROR (3GPP TS 27.007 §9.2) and +CMS ERROR (3GPP TS 27.005 §3.2.5), the subset
 * modems actually send for SMS work. Used to give verbose answers (`+CME ERROR: SIM busy`, AT+CMEE=2) their number.
 */
export const CME_ERRORS: Readonly<Record<number, string>> = {
  0: 'phone failure',
  1: 'no connection to phone',
  3: 'operation not allowed',
  4: 'operation not supported',
  5: 'PH-SIM PIN required',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  17: 'SIM PIN2 required',
  18: 'SIM PUK2 required',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  23: 'memory failure',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed - emergency calls only',
  50: 'incorrect parameters',
  100: 'unknown',
};

export const CMS_ERRORS: Readonly<Record<number, string>> = {
  1: 'unassigned (unallocated) number',
  8: 'operator determined barring',
  10: 'call barred',
  21: 'short message transfer rejected',
  27: 'destination out of service',
  28: 'unidentified subscriber',
  29: 'facility rejected',
  30: 'unknown subscriber',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'congestion',
  47: 'resources unavailable, unspecified',
  50: 'requested facility not subscribed',
  69: 'requested facility not implemented',
  96: 'invalid short message transfer reference value',
  111: 'protocol error, unspecified',
  127: 'interworking, unspecified',
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};

function invert(table: Readonly<Record<number, string>>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [code, text] of Object.entries(table)) map.set(normalise(text), Number(code));
  return map;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();
}

const CME_BY_TEXT = invert(CME_ERRORS);
const CMS_BY_TEXT = invert(CMS_ERRORS);

/** The numeric code for a verbose error text, when it is one of the standard ones. */
export function codeForText(kind: 'cme' | 'cms', text: string): number | undefined {
  return (kind === 'cme' ? CME_BY_TEXT : CMS_BY_TEXT).get(normalise(text));
}

export function textForCode(kind: 'cme' | 'cms', code: number): string | undefined {
  return (kind === 'cme' ? CME_ERRORS : CMS_ERRORS)[code];
}
