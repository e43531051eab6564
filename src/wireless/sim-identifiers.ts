/**
 * The shape checks of the two identifiers every tool here asks for, in one place: the `sims` and `modem-sim`
 * subcommands and the emulator's SIM records. ICCID: ITU-T E.118, 18 to 22 digits (19–20 in practice; the Wireless
 * API's `Iccid` filter takes the digits without the trailing F some modems print). IMEI: 3GPP TS 23.003 §6.2.1,
 * 15 digits.
 */
export const ICCID_DIGITS = { min: 18, max: 22 } as const;
export const IMEI_DIGITS = { min: 15, max: 15 } as const;

export function isIccid(text: string): boolean {
  return hasDigits(text, ICCID_DIGITS);
}

/** Only digits, and between `min` and `max` of them. */
export function hasDigits(text: string, range: { min: number; max: number }): boolean {
  return /^\d+$/.test(text) && text.length >= range.min && text.length <= range.max;
}
