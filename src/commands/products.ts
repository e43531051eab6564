/**
 * Product profiles (FACTS.md, "M2M Commands" and "Super SIM"): which short code Commands come from and go to, and
 * what a Command SID looks like, so IncludeSid can be recognised.
 */
export type ProductName = 'programmable-wireless' | 'super-sim';

export interface ProductProfile {
  name: ProductName;
  /** MT Commands arrive from this address; MO Commands (replies) are sent to it. */
  short_code: string;
  /** Command SID prefix: `DC` (Programmable Wireless Commands), `HC` (Super SIM SmsCommands). */
  sid_prefix: 'DC' | 'HC';
}

export const PRODUCTS: Readonly<Record<ProductName, ProductProfile>> = {
  'programmable-wireless': { name: 'programmable-wireless', short_code: '2936', sid_prefix: 'DC' },
  'super-sim': { name: 'super-sim', short_code: '000', sid_prefix: 'HC' },
};

export const PRODUCT_NAMES = Object.keys(PRODUCTS) as ProductName[];

export class UnknownProductError extends Error {
  override name = 'UnknownProductError';
}

export function productProfile(name: string): ProductProfile {
  const profile = (PRODUCTS as Record<string, ProductProfile | undefined>)[name];
  if (!profile) {
    throw new UnknownProductError(
      `commands.product: expected one of ${PRODUCT_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  return profile;
}

/** A Command SID of this product: the prefix and 32 hex digits (Twilio SIDs are 34 characters). */
export function isCommandSid(value: string, profile: ProductProfile): boolean {
  return value.length === 34 && value.startsWith(profile.sid_prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}
