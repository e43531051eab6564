import type { UrcRegistry } from '../at/urc-registry.js';
import type { Logger } from '../util/logger.js';
import { parseRegistrationUrc, type Registration, type Signal } from './parsers/network.js';
import { parseDirectHeader, parseStorageNotice } from './parsers/urc.js';
import { allPatterns, QUIRKS } from './quirks/index.js';

export type RegistrationDomain = 'creg' | 'cereg' | 'cgreg';

interface ModemUrcHandlers {
  logger: Logger;
  onStorageNotice(memory: string, index: number): void;
  onDirect(pdu: string, length: number): void;
  /** `domain`: which URC said it (+CREG circuit-switched, +CEREG EPS, +CGREG packet-switched). */
  onRegistration(registration: Registration, domain: RegistrationDomain): void;
  /** A vendor signal URC (ModemQuirks.signalUrc: Quectel +QIND: "csq", SIMCom +CSQN). */
  onSignal(signal: Signal): void;
  /** `restart`: the first line of a boot (RDY); `boot-step`: a later one (SIM/SMS ready), see ModemQuirks.bootUrcs. */
  onReboot(line: string, kind: 'restart' | 'boot-step'): void;
  onStorageFull(line: string): void;
}

/**
 * The URCs the driver acts on (3GPP TS 27.005 §3.4.1, TS 27.007 §7.2) plus every known vendor's boot, SMS-ready,
 * storage-full and noise lines, registered before we know which vendor we talk to. Specific ones come first: the
 * registry returns the first match.
 */
export function registerModemUrcs(urcs: UrcRegistry, h: ModemUrcHandlers): void {
  const notice = (lines: string[]) => {
    const n = parseStorageNotice(lines[0]!);
    if (n) h.onStorageNotice(n.memory, n.index);
  };
  urcs.register({ name: 'cmti', match: '+CMTI:', handler: notice });
  urcs.register({ name: 'cdsi', match: '+CDSI:', handler: notice });
  const direct = (lines: string[]) => {
    const length = parseDirectHeader(lines[0]!);
    const pdu = lines[1]?.trim() ?? '';
    if (length === undefined || !/^[0-9A-Fa-f]+$/.test(pdu)) {
      h.logger.warn({ lines }, 'malformed direct-delivery URC ignored');
      return;
    }
    h.onDirect(pdu, length);
  };
  urcs.register({ name: 'cmt', match: '+CMT:', lines: 2, handler: direct });
  urcs.register({ name: 'cds', match: '+CDS:', lines: 2, handler: direct });
  for (const [prefix, domain] of [
    ['+CREG:', 'creg'],
    ['+CEREG:', 'cereg'],
    ['+CGREG:', 'cgreg'],
  ] as const) {
    urcs.register({
      name: 'registration',
      match: prefix,
      handler: (lines) => {
        const r = parseRegistrationUrc(lines[0]!);
        if (r) h.onRegistration(r, domain);
      },
    });
  }
  // Before storage-full and noise: Quectel's +QIND carries both, and the generic noise pattern takes any +QIND.
  for (const quirk of Object.values(QUIRKS)) {
    const signalUrc = quirk.signalUrc;
    if (!signalUrc) continue;
    urcs.register({
      name: 'signal',
      match: signalUrc.match,
      handler: (lines) => {
        const signal = signalUrc.parse(lines[0]!);
        if (signal) h.onSignal(signal);
        else h.logger.debug({ urc: lines[0] }, 'signal URC without a reading');
      },
    });
  }
  for (const match of allPatterns('storageFullUrcs'))
    urcs.register({ name: 'storage-full', match, handler: (l) => h.onStorageFull(l[0]!) });
  for (const match of allPatterns('rebootUrcs')) {
    urcs.register({ name: 'reboot', match, handler: (l) => h.onReboot(l[0]!, 'restart') });
  }
  for (const match of allPatterns('bootUrcs')) {
    urcs.register({ name: 'boot-step', match, handler: (l) => h.onReboot(l[0]!, 'boot-step') });
  }
  for (const match of allPatterns('noiseUrcs')) {
    urcs.register({ name: 'noise', match, handler: (l) => h.logger.debug({ urc: l[0] }, 'vendor URC') });
  }
}
