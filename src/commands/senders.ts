import type { ProductProfile } from './products.js';

/**
 * The sender allow-list. FACTS.md: "Match the sender by its digits, not by its exact formatting (type of number
 * varies)" — the same short code arrives as `2936`, `+2936` or with a national prefix depending on network and modem.
 */

export type SenderCheck =
  | { accepted: true; from: string; matched: string }
  | { accepted: false; from: string; reason: string };

/** Shorter than this, a number is a short code and must match exactly (2936 must not match 12936). */
const MIN_SUFFIX_MATCH = 7;

/**
 * Digits of an address with `+`, spaces, dashes, dots and parentheses dropped, and a `00` international prefix
 * removed from a full-length number (never from a short code: Super SIM's `000` stays `000`).
 */
export function senderDigits(address: string): string | null {
  const compact = address.replace(/[\s\-.()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return null;
  const digits = compact.replace(/^\+/, '');
  const international = !compact.startsWith('+') && digits.startsWith('00') && digits.length - 2 >= MIN_SUFFIX_MATCH;
  return international ? digits.slice(2) : digits;
}

function sameNumber(a: string, b: string): boolean {
  if (a === b) return true;
  // National form (0176…) against international (49176…): compare without the trunk prefix, as a suffix.
  const strip = (digits: string) => digits.replace(/^0+/, '');
  const [shorter, longer] = [strip(a), strip(b)].sort((x, y) => x.length - y.length) as [string, string];
  return shorter.length >= MIN_SUFFIX_MATCH && longer.endsWith(shorter);
}

export interface SenderPolicy {
  /** The allow-list in force (the product's short code when none was configured). */
  readonly allowed: readonly string[];
  check(from: string): SenderCheck;
}

/**
 * Builds the policy from `commands.allowed_senders` (undefined or empty → the product's short code). Numeric entries
 * match by digits; alphanumeric ones (an originator of type 0xD0, e.g. "Twilio") match case-insensitively.
 */
export function senderPolicy(profile: ProductProfile, allowedSenders?: readonly string[] | null): SenderPolicy {
  const allowed = allowedSenders && allowedSenders.length > 0 ? [...allowedSenders] : [profile.short_code];
  const entries = allowed.map((entry) => ({ entry, digits: senderDigits(entry), text: entry.trim().toLowerCase() }));
  return {
    allowed,
    check(from) {
      const digits = senderDigits(from);
      for (const candidate of entries) {
        const match =
          digits !== null && candidate.digits !== null
            ? sameNumber(digits, candidate.digits)
            : candidate.text === from.trim().toLowerCase();
        if (match) return { accepted: true, from, matched: candidate.entry };
      }
      return {
        accepted: false,
        from,
        reason: `sender ${JSON.stringify(from)} is not in commands.allowed_senders (${allowed.join(', ')})`,
      };
    },
  };
}
