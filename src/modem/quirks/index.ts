import { generic } from './generic.js';
import { huawei } from './huawei.js';
import { quectel } from './quectel.js';
import { simcom } from './simcom.js';
import { telit } from './telit.js';
import type { ModemQuirks } from './types.js';
import { ublox } from './ublox.js';

export type { ModemQuirks } from './types.js';
export { generic, huawei, quectel, simcom, telit, ublox };

export const QUIRKS: Record<string, ModemQuirks> = { generic, quectel, simcom, ublox, huawei, telit };

export type ModemProfileName = 'auto' | 'generic' | 'quectel' | 'simcom' | 'ublox' | 'telit' | 'huawei';

/** Config `modem.profile` wins; `auto` matches the +CGMI/+CGMM answers; nothing matching → generic. */
export function selectQuirks(profile: ModemProfileName, manufacturer: string, model: string): ModemQuirks {
  if (profile !== 'auto') return QUIRKS[profile] ?? generic;
  for (const q of [quectel, simcom, ublox, huawei, telit]) if (q.matches(manufacturer, model)) return q;
  return generic;
}

/** Every vendor's URC patterns of one kind, so URCs are recognised before we know the vendor. */
export function allPatterns(kind: 'rebootUrcs' | 'bootUrcs' | 'storageFullUrcs' | 'noiseUrcs'): (string | RegExp)[] {
  const seen = new Set<string>();
  const out: (string | RegExp)[] = [];
  for (const q of Object.values(QUIRKS)) {
    for (const p of q[kind]) {
      const key = String(p);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
  }
  return out;
}
