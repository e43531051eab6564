import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedModem } from '../../../device/modem/index.js';
import {
  MemorySmsLink,
  type MobileOriginatedSms,
  type MobileTerminatedSms,
  modemSmsLink,
  type SmsLink,
} from '../../../device/network/index.js';
import { decodePdu } from '../../../src/sms/index.js';
import { AtClient } from './at-client.js';

/**
 * The SmsLink contract, run against every implementation (STYLE.md: one contract suite per interface). A harness
 * gives the suite the device's side: what it stored, a way to send from it, a way to make it unreachable.
 */
interface Harness {
  link: SmsLink;
  storedOnDevice(): MobileTerminatedSms[];
  sendFromDevice(sms: { to: string; text: string } | { to: string; bytes: Uint8Array }): Promise<void>;
  makeUnreachable(): void;
  close(): void;
}

const harnesses: Record<string, () => Promise<Harness>> = {
  MemorySmsLink: async () => {
    const link = new MemorySmsLink();
    return {
      link,
      storedOnDevice: () => link.received,
      sendFromDevice: async (sms) => link.sendFromDevice(sms),
      makeUnreachable: () => {
        link.failure = 'unreachable';
      },
      close: () => undefined,
    };
  },
  'modemSmsLink(SimulatedModem)': async () => {
    const modem = new SimulatedModem({ bootDelayMs: 1, smsReadyDelayMs: 1 });
    await modem.whenReady();
    const link = modemSmsLink(modem);
    const at = new AtClient(modem.connect());
    await at.command('AT+CMGF=0');
    return {
      link,
      storedOnDevice: () =>
        modem
          .storage()
          .flatMap((m) => m.messages)
          .map((m) => {
            const d = decodePdu(m.pdu, { smsc: true });
            if (d.type !== 'SMS-DELIVER') throw new Error(d.type);
            return d.text !== null
              ? { from: d.originator, text: d.text }
              : { from: d.originator, bytes: new Uint8Array(Buffer.from(d.data_hex ?? '', 'hex')) };
          }),
      sendFromDevice: (sms) => at.sendSms(sms.to, 'text' in sms ? { text: sms.text } : { data: sms.bytes }),
      makeUnreachable: () => modem.setFaults({ simNotReady: { code: 10, forMs: 60_000 } }),
      close: () => {
        link.dispose();
        modem.dispose();
      },
    };
  },
};

for (const [name, start] of Object.entries(harnesses)) {
  describe(`SmsLink contract: ${name}`, () => {
    let h: Harness;
    afterEach(() => h?.close());

    it('delivers text and 8-bit data, and the device has exactly what was sent', async () => {
      h = await start();
      await expect(h.link.deliver({ from: '2936', text: 'hello €' }, { deadlineMs: 1_000 })).resolves.toEqual({
        delivered: true,
      });
      await expect(
        h.link.deliver({ from: '2936', bytes: new Uint8Array([0, 255, 7]) }, { deadlineMs: 1_000 }),
      ).resolves.toEqual({ delivered: true });
      expect(h.storedOnDevice()).toEqual([
        { from: '2936', text: 'hello €' },
        { from: '2936', bytes: new Uint8Array([0, 255, 7]) },
      ]);
    });

    it('an unreachable device gives a failure with a reason, never a rejection', async () => {
      h = await start();
      h.makeUnreachable();
      const outcome = await h.link.deliver({ from: '2936', text: 'x' }, { deadlineMs: 200 });
      expect(outcome.delivered).toBe(false);
      expect(outcome.delivered === false && outcome.reason.length > 0).toBe(true);
    });

    it('an aborted delivery resolves at once', async () => {
      h = await start();
      h.makeUnreachable();
      const controller = new AbortController();
      controller.abort();
      const outcome = await h.link.deliver(
        { from: '2936', text: 'x' },
        { deadlineMs: 60_000, signal: controller.signal },
      );
      expect(outcome.delivered).toBe(false);
    });

    it('reports what the device sends, text and binary, until unsubscribed', async () => {
      h = await start();
      const heard: MobileOriginatedSms[] = [];
      const unsubscribe = h.link.onMobileOriginated((sms) => heard.push(sms));
      await h.sendFromDevice({ to: '2936', text: 'reply' });
      await h.sendFromDevice({ to: '2936', bytes: new Uint8Array([1, 2]) });
      unsubscribe();
      await h.sendFromDevice({ to: '2936', text: 'unheard' });
      expect(heard).toEqual([
        { to: '2936', text: 'reply' },
        { to: '2936', bytes: new Uint8Array([1, 2]) },
      ]);
    });
  });
}
