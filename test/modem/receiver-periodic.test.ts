import { describe, expect, it } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { Receiver } from '../../src/modem/receiver.js';
import type { SweepOutcome } from '../../src/modem/sweep-cadence.js';
import type { ReceivedSms } from '../../src/modem/types.js';
import { registerModemUrcs } from '../../src/modem/urcs.js';
import { decodePdu, encodeDeliver } from '../../src/sms/index.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTransport } from '../at/fake-transport.js';

const pdu = (text: string) => encodeDeliver({ from: '2936', text, timestamp: '2026-12-07T10:00:00+01:00' })[0]!.pdu;

/**
 * The quiet periodic sweep against a scripted modem with SM, ME and SR storage (a stateful fake that fails loudly on
 * commands it does not know): counters first, +CMGL only where something is stored, the receive memory last.
 */
function setup(stored: Record<string, Map<number, string>>) {
  const transport = new FakeTransport();
  const urcs = new UrcRegistry();
  const accepted: ReceivedSms[] = [];
  const anomalies: string[] = [];
  const outcomes: SweepOutcome[] = [];
  const receiver = new Receiver({
    consumer: { accept: async (sms) => void accepted.push(sms) },
    logger: silentLogger(),
    decode: decodePdu,
    onUndecodable: () => {},
    onConsumerFailure: () => {},
    onChannelTrouble: () => {},
    onStorage: () => {},
    onSettingsLost: () => {},
    onAnomaly: (reason) => anomalies.push(reason),
    onSweepDone: (outcome) => outcomes.push(outcome),
  });
  registerModemUrcs(urcs, {
    logger: silentLogger(),
    onStorageNotice: (m, i) => receiver.notify(m, i),
    onDirect: () => {},
    onRegistration: () => {},
    onSignal: () => {},
    onReboot: () => {},
    onStorageFull: () => {},
  });
  let mem1 = 'SM';
  const count = (m: string) => `${stored[m]!.size},30`;
  transport.script = (data) => {
    const cmd = data.replace(/\r$/, '').replace(/;\+CMEE\?$/, '');
    const aligned = data.replace(/\r$/, '').endsWith(';+CMEE?');
    const ok = aligned ? '\r\n+CMEE: 1\r\n\r\nOK\r\n' : '\r\nOK\r\n';
    const select = /^AT\+CPMS="(\w+)"$/.exec(cmd);
    if (select) {
      mem1 = select[1]!;
      return `\r\n+CPMS: ${count(mem1)},${count('SM')},${count('SM')}\r\n\r\nOK\r\n`;
    }
    if (cmd === 'AT+CPMS?')
      return `\r\n+CPMS: "${mem1}",${count(mem1)},"SM",${count('SM')},"SM",${count('SM')}\r\n${ok}`;
    if (cmd === 'AT+CMGL=4') {
      const body = [...stored[mem1]!].map(([i, p]) => `+CMGL: ${i},1,,${p.length / 2 - 8}\r\n${p}\r\n`).join('');
      return `\r\n${body}${ok}`;
    }
    const read = /^AT\+CMGR=(\d+)$/.exec(cmd);
    if (read) {
      const p = stored[mem1]!.get(Number(read[1]));
      return p ? `\r\n+CMGR: 0,,${p.length / 2 - 8}\r\n${p}\r\n${ok}` : '\r\n+CMS ERROR: 321\r\n';
    }
    const del = /^AT\+CMGD=(\d+)$/.exec(cmd);
    if (del) {
      stored[mem1]!.delete(Number(del[1]));
      return '\r\nOK\r\n';
    }
    throw new Error(`fake modem: unknown command ${JSON.stringify(cmd)}`);
  };
  const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs });
  receiver.attach(channel, 'SM', ['SM', 'ME', 'SR'], 'SR');
  const commands = () => transport.written.map((w) => w.replace(/\r$/, '').replace(/;\+CMEE\?$/, ''));
  return { transport, receiver, accepted, anomalies, outcomes, commands };
}

const empty = () => ({ SM: new Map<number, string>(), ME: new Map<number, string>(), SR: new Map<number, string>() });

describe('Receiver: the quiet periodic sweep', () => {
  it('nothing stored: the counters of SR, then of SM (left selected), and no +CMGL; a clean outcome', async () => {
    const r = setup(empty());
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.commands()).toEqual(['AT+CPMS="SR"', 'AT+CPMS="SM"']);
    expect(r.outcomes).toEqual([{ periodic: true, unannounced: 0 }]);
    expect(r.anomalies).toEqual([]);
    // The next one: SR again, and SM selected by the same command that reads its counters.
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.commands().slice(2)).toEqual(['AT+CPMS="SR"', 'AT+CPMS="SM"']);
  });

  it('a message no notice announced: listed, handed over, deleted, and counted as unannounced', async () => {
    const stored = empty();
    stored.SM.set(4, pdu('missed notice'));
    const r = setup(stored);
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.commands()).toEqual(['AT+CPMS="SR"', 'AT+CPMS="SM"', 'AT+CMGL=4', 'AT+CMGD=4', 'AT+CPMS?']);
    expect(r.accepted.map((m) => m.index)).toEqual([4]);
    expect(r.outcomes).toEqual([{ periodic: true, unannounced: 1 }]);
  });

  it('ME is not swept periodically until a notice named it (Quectel names ME while <mem3> is SM)', async () => {
    const stored = empty();
    stored.ME.set(1, pdu('in ME'));
    const r = setup(stored);
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.commands()).not.toContain('AT+CPMS="ME"');
    r.transport.feed('\r\n+CMTI: "ME",1\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    await r.receiver.idle();
    expect(r.accepted.map((m) => m.memory)).toEqual(['ME']);
    const before = r.commands().length;
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.commands().slice(before)).toEqual(['AT+CPMS="SR"', 'AT+CPMS="ME"', 'AT+CPMS="SM"']);
  });

  it('a full receive memory is an anomaly, and a notice for an empty slot is one too (with a full sweep)', async () => {
    const stored = empty();
    for (let i = 0; i < 30; i++) stored.SM.set(i, pdu(`m${i}`));
    const r = setup(stored);
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.anomalies).toContain('storage full');
    expect(r.accepted).toHaveLength(30);
    r.anomalies.length = 0;
    r.transport.feed('\r\n+CMTI: "SM",7\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    await r.receiver.idle();
    expect(r.anomalies).toEqual(['empty slot SM,7']);
    expect(r.outcomes.at(-1)).toEqual({ periodic: false, unannounced: 0 });
  });

  it('a full sweep asked for while a periodic one waits upgrades it: every memory listed, once', async () => {
    const stored = empty();
    stored.SM.set(2, pdu('announced'));
    const r = setup(stored);
    // A slot read in flight, so the sweeps below wait in the queue.
    r.receiver.notify('SM', 2);
    r.receiver.sweepPeriodic();
    r.receiver.sweep('requested');
    r.receiver.sweepPeriodic();
    await r.receiver.idle();
    expect(r.accepted).toHaveLength(1);
    expect(r.commands().filter((c) => c === 'AT+CMGL=4')).toHaveLength(3);
    expect(r.outcomes).toEqual([{ periodic: false, unannounced: 0 }]);
  });
});
