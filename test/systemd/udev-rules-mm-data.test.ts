import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_MODEMS } from '../../src/cli/ports/known-modems.js';
import { evaluate, type FakeDevice, parseRules } from './udev-rules.js';

// The variant for gateways where ModemManager keeps the data connection (IP Commands): only the AT port is hidden
// from ModemManager (ID_MM_PORT_IGNORE), every other port and the net interface stay its own.
const rules = parseRules(
  readFileSync(fileURLToPath(new URL('../../systemd/99-m2m-bridge-mm-data.rules', import.meta.url)), 'utf8'),
);

function port(vendor: string, product: string, ifnum: string, subsystem = 'tty'): FakeDevice {
  return {
    action: 'add',
    subsystem,
    parents: [
      { subsystem: 'usb', attrs: { bInterfaceNumber: ifnum, bInterfaceClass: 'ff' } },
      { subsystem: 'usb', attrs: { idVendor: vendor, idProduct: product, manufacturer: 'x' } },
    ],
  };
}

describe('systemd/99-m2m-bridge-mm-data.rules', () => {
  it.each(KNOWN_MODEMS.map((m) => [m.name, m] as const))(
    '%s: the AT port is ignored by ModemManager and linked; the other ports and the net interface are not',
    (_, modem) => {
      for (const ifnum of ['00', '01', '02', '03', '04', '05', '06', '08']) {
        const outcome = evaluate(rules, port(modem.vendorId, modem.productId, ifnum));
        expect(outcome.env.ID_MM_DEVICE_IGNORE, `${modem.name} if ${ifnum}`).toBeUndefined();
        if (ifnum === modem.atInterface) {
          expect(outcome.env.ID_MM_PORT_IGNORE).toBe('1');
          expect(outcome.symlinks).toEqual(['m2m-modem']);
        } else {
          expect(outcome.env.ID_MM_PORT_IGNORE, `${modem.name} if ${ifnum}`).toBeUndefined();
          expect(outcome.symlinks).toEqual([]);
        }
      }
      const net = evaluate(rules, port(modem.vendorId, modem.productId, modem.atInterface, 'net'));
      expect(net.env.ID_MM_PORT_IGNORE).toBeUndefined();
      expect(net.symlinks).toEqual([]);
    },
  );
});
