import type { UrcRegistry } from '../at/urc-registry.js';
import type { Logger } from '../util/logger.js';
import { parseRegistrationUrc, type Registration } from './parsers/network.js';
import { parseDirectHeader, parseStorageNotice } from './parsers/urc.js';
import { allPatterns } from './quirks/index.js';

export interface ModemUrcHandlers {
  logger: Logger;
  onStorageNotice(memory: string, index: number): void;
  onDirect(pdu: string, length: number): void;
  onRegistration(registration: Registration): void;
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
  for (const prefix of ['+CREG:', '+CEREG:', '+CGREG:']) {
    urcs.register({
      name: 'registration',
      match: prefix,
      handler: (lines) => {
        const r = parseRegistrationUrc(lines[0]!);
        if (r) h.onRegistration(r);
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
