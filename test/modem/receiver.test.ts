import { describe, expect, it } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { Receiver } from '../../src/modem/receiver.js';
import type { ReceivedSms } from '../../src/modem/types.js';
import { registerModemUrcs } from '../../src/modem/urcs.js';
import { decodePdu, encodeDeliver } from '../../src/sms/index.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTransport } from '../at/fake-transport.js';
import { waitFor } from '../helpers/wait.js';

// gammu's Huawei E303 test PDU (see test/fixtures/huawei-e303-cmgr.txt).
const PDU = '07918497483252F0040B918496445078F700007121320144744004D4F29C0E';

/**
 * The receive pipeline over one AT channel, with a scripted modem (a stateful fake that fails loudly on commands it
 * does not know, after zigbee-herdsman's test style).
 */
function setup(slots: Map<number, string>, readable = ['SM']) {
  const transport = new FakeTransport();
  const urcs = new UrcRegistry();
  const accepted: ReceivedSms[] = [];
  const undecodable: ReceivedSms[] = [];
  let gate: Promise<void> | undefined;
  const entered: ReceivedSms[] = [];
  const settingsLost: string[] = [];
  const receiver = new Receiver({
    consumer: {
      accept: async (sms) => {
        entered.push(sms);
        if (gate) await gate;
        accepted.push(sms);
      },
    },
    logger: silentLogger(),
    decode: decodePdu,
    onUndecodable: (sms) => undecodable.push(sms),
    onConsumerFailure: () => {},
    onChannelTrouble: () => {},
    onStorage: () => {},
    onSettingsLost: (why) => settingsLost.push(why),
  });
  registerModemUrcs(urcs, {
    logger: silentLogger(),
    onStorageNotice: (m, i) => receiver.notify(m, i),
    onDirect: (pdu, len) => receiver.direct(pdu, len),
    onRegistration: () => {},
    onSignal: () => {},
    onReboot: () => {},
    onStorageFull: () => {},
  });
  const answerTo = (cmd: string): string => {
    let m = /^AT\+CMGR=(\d+)$/.exec(cmd);
    if (m) {
      const pdu = slots.get(Number(m[1]));
      return pdu ? `\r\n+CMGR: 0,,${pdu.length / 2 - 8}\r\n${pdu}\r\n\r\nOK\r\n` : '\r\n+CMS ERROR: 321\r\n';
    }
    m = /^AT\+CMGD=(\d+)$/.exec(cmd);
    if (m) {
      slots.delete(Number(m[1]));
      return '\r\nOK\r\n';
    }
    if (cmd === 'AT+CNMA') return '\r\nOK\r\n';
    if (cmd.startsWith('AT+CPMS')) return '\r\n+CPMS: "SM",1,30,"SM",1,30,"SM",1,30\r\n\r\nOK\r\n';
    if (cmd === 'AT+CMGL=4') {
      const body = [...slots].map(([i, pdu]) => `+CMGL: ${i},1,,${pdu.length / 2 - 8}\r\n${pdu}\r\n`).join('');
      return `\r\n${body}\r\nOK\r\n`;
    }
    throw new Error(`fake modem: unknown command ${JSON.stringify(cmd)}`);
  };
  transport.script = aligning(answerTo);
  const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs });
  receiver.attach(channel, 'SM', readable);
  return {
    transport,
    answerTo,
    receiver,
    accepted,
    entered,
    settingsLost,
    undecodable,
    setGate: (g: Promise<void> | undefined) => {
      gate = g;
    },
  };
}

/**
 * A scripted modem's answers to whole command lines: `answer` gets the command without CR and without the alignment
 * suffix of aligned reads (`AT+CMGR=3;+CMEE?`), whose OK then comes after a +CMEE line, as a modem answers a line.
 */
function aligning(answer: (cmd: string) => string | undefined): (data: string) => string | undefined {
  return (data) => {
    const line = data.replace(/\r$/, '');
    const aligned = line.endsWith(';+CMEE?');
    const reply = answer(aligned ? line.slice(0, -';+CMEE?'.length) : line);
    return aligned && reply?.endsWith('\r\nOK\r\n') ? `${reply.slice(0, -6)}\r\n+CMEE: 1\r\n\r\nOK\r\n` : reply;
  };
}

/** The commands written, without the alignment suffix of aligned reads. */
function commands(t: FakeTransport): string[] {
  return t.written.map((w) => w.replace(/\r$/, '').replace(/;\+CMEE\?$/, ''));
}

describe('Receiver', () => {
  it('a stray OK ahead of a +CMGR answer never moves a message to another slot: read once each, none deleted unread', async () => {
    const [two, three] = ['slot two', 'slot three'].map(
      (text) => encodeDeliver({ from: '2936', text, timestamp: '2026-11-27T10:00:00+01:00' })[0]!.pdu,
    );
    const slots = new Map([
      [2, two!],
      [3, three!],
    ]);
    const r = setup(slots);
    const answer = aligning(r.answerTo);
    // The modem works through what it was sent in order, a few ms per command; ahead of its answer to the first read
    // comes a doubled OK of an earlier command. Unaligned, that OK passed for slot 2's (empty) answer, slot 2's real
    // answer then for slot 3's, and slot 3 was deleted unread.
    let modem = Promise.resolve();
    let stray = true;
    r.transport.script = (data) => {
      const reply = answer(data);
      if (stray && data.startsWith('AT+CMGR=2')) {
        stray = false;
        r.transport.feed('\r\nOK\r\n');
      }
      modem = modem
        .then(() => new Promise((done) => setTimeout(done, 5)))
        .then(() => {
          if (reply) r.transport.feed(reply);
        });
      return undefined;
    };
    r.transport.feed('\r\n+CMTI: "SM",2\r\n+CMTI: "SM",3\r\n');
    await waitFor('both slots emptied', () => slots.size === 0 && r.accepted.length >= 2);
    await r.receiver.idle();
    expect(r.accepted.map((m) => [m.index, m.pdu])).toEqual([
      [2, two],
      [3, three],
    ]);
  });

  it('+CMTI → +CMGR → consumer → +CMGD, in that order', async () => {
    const slots = new Map([[3, PDU]]);
    const r = setup(slots);
    r.transport.feed('\r\n+CMTI: "SM",3\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual(['AT+CMGR=3', 'AT+CMGD=3']);
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0]).toMatchObject({
      source: 'storage',
      memory: 'SM',
      index: 3,
      tpdu_length: 23,
      decode_error: null,
    });
    expect(slots.size).toBe(0);
  });

  it('does not delete before the consumer resolved', async () => {
    const r = setup(new Map([[1, PDU]]));
    let open!: () => void;
    r.setGate(
      new Promise((res) => {
        open = res;
      }),
    );
    r.transport.feed('+CMTI: "SM",1\r\n');
    await waitFor('the consumer called', () => r.entered.length === 1);
    expect(commands(r.transport)).toEqual(['AT+CMGR=1']);
    open();
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual(['AT+CMGR=1', 'AT+CMGD=1']);
  });

  it('+CMT direct delivery: +CNMA only after the consumer resolved', async () => {
    const r = setup(new Map());
    let open!: () => void;
    r.setGate(
      new Promise((res) => {
        open = res;
      }),
    );
    r.transport.feed(`\r\n+CMT: ,23\r\n${PDU}\r\n`);
    await waitFor('the consumer called', () => r.entered.length === 1);
    expect(commands(r.transport)).toEqual([]);
    open();
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual(['AT+CNMA']);
    expect(r.accepted[0]).toMatchObject({ source: 'direct', memory: null, index: null });
  });

  it('an undecodable PDU is reported, handed over as raw hex, and deleted — it never blocks the queue', async () => {
    const broken = PDU.slice(0, -6); // user data cut short
    const r = setup(
      new Map([
        [1, broken],
        [2, PDU],
      ]),
    );
    r.transport.feed('+CMTI: "SM",1\r\n+CMTI: "SM",2\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(r.undecodable).toHaveLength(1);
    expect(r.accepted.map((m) => m.decoded === null)).toEqual([true, false]);
    expect(r.accepted[0]!.decode_error).toMatchObject({ field: expect.any(String) });
    expect(r.accepted[0]!.pdu).toBe(broken);
    expect(commands(r.transport)).toEqual(['AT+CMGR=1', 'AT+CMGD=1', 'AT+CMGR=2', 'AT+CMGD=2']);
  });

  it('an empty slot (+CMS ERROR: 321) and an unknown memory are handled without errors', async () => {
    const r = setup(new Map([[7, PDU]]));
    r.transport.feed('+CMTI: "SM",5\r\n+CMTI: "XX",1\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    // slot 5 is empty; the unknown memory triggers a sweep that finds slot 7
    expect(commands(r.transport)).toEqual(['AT+CMGR=5', 'AT+CMGL=4', 'AT+CMGD=7', 'AT+CPMS?']);
    expect(r.accepted).toHaveLength(1);
  });

  it('a +CMTI for a memory the modem cannot select ("MT" refused by +CPMS) sweeps now, not at the next timer', async () => {
    const slots = new Map([[3, PDU]]);
    const r = setup(slots, ['SM', 'ME']);
    const original = r.transport.script!;
    r.transport.script = (data) => (data === 'AT+CPMS="MT"\r' ? '\r\n+CMS ERROR: 302\r\n' : original(data));
    r.transport.feed('\r\n+CMTI: "MT",3\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(r.accepted.map((m) => m.index)).toEqual([3]);
    expect(slots.size).toBe(0);
    expect(commands(r.transport).slice(0, 4)).toEqual(['AT+CPMS="MT"', 'AT+CPMS="SM"', 'AT+CMGL=4', 'AT+CMGD=3']);
  });

  it('a +CMGR refused with +CME ERROR (not 321) sweeps; the message is read once and deleted', async () => {
    const slots = new Map([[6, PDU]]);
    const r = setup(slots);
    r.transport.script = aligning((cmd) => (cmd === 'AT+CMGR=6' ? '\r\n+CME ERROR: 4\r\n' : r.answerTo(cmd)));
    r.transport.feed('\r\n+CMTI: "SM",6\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual(['AT+CMGR=6', 'AT+CMGL=4', 'AT+CMGD=6', 'AT+CPMS?']);
    expect(r.accepted.map((m) => m.index)).toEqual([6]);
  });

  it('a notice for an empty slot sweeps: EC25 announces an SR status report as +CDSI: "SM",0', async () => {
    // generic-cds.txt's status report, stored in SR; slot 0 of SM is empty and answers a bare OK.
    const report = '07914356060013F1065A098136395339F6219011700463802190117004638030';
    const r = setup(new Map(), ['SM', 'SR']);
    let memory = 'SM';
    r.transport.script = aligning((cmd) => {
      const select = /^AT\+CPMS="(\w+)"$/.exec(cmd);
      if (select) {
        memory = select[1]!;
        return '\r\n+CPMS: 1,30,1,30,1,30\r\n\r\nOK\r\n';
      }
      if (cmd === 'AT+CMGR=0') return '\r\nOK\r\n';
      if (cmd === 'AT+CMGL=4') return memory === 'SR' ? `\r\n+CMGL: 0,1,,24\r\n${report}\r\n\r\nOK\r\n` : '\r\nOK\r\n';
      if (cmd === 'AT+CMGD=0') return '\r\nOK\r\n';
      if (cmd === 'AT+CPMS?') return '\r\n+CPMS: "SM",0,30,"SM",0,30,"SM",0,30\r\n\r\nOK\r\n';
      throw new Error(`fake modem: unknown command ${JSON.stringify(cmd)}`);
    });
    r.transport.feed('\r\n+CDSI: "SM",0\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual([
      'AT+CMGR=0',
      'AT+CMGL=4',
      'AT+CPMS="SR"',
      'AT+CMGL=4',
      'AT+CMGD=0',
      // Back to the receive memory; its +CPMS answer carries the counters, so no AT+CPMS? follows.
      'AT+CPMS="SM"',
    ]);
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0]).toMatchObject({ memory: 'SR', index: 0, decoded: { type: 'SMS-STATUS-REPORT' } });
  });

  it('a duplicate +CMTI for the same slot reads it once', async () => {
    const r = setup(new Map([[2, PDU]]));
    r.transport.feed('+CMTI: "SM",2\r\n+CMTI: "SM",2\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(r.accepted).toHaveLength(1);
  });

  it('honours the memory named in +CMTI (Quectel stores in ME): switches <mem1> before reading', async () => {
    const r = setup(new Map([[2, PDU]]), ['SM', 'ME']);
    r.transport.feed('+CMTI: "ME",2\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual(['AT+CPMS="ME"', 'AT+CMGR=2', 'AT+CMGD=2']);
    expect(r.accepted[0]).toMatchObject({ memory: 'ME', index: 2 });
  });

  it('+CMTI: ,-1 sweeps; a stored outgoing SMS-SUBMIT (E3131, stat 3) is neither handed over nor deleted', async () => {
    const submit = '0011000B817044763185F60000AD044D76F80C';
    const slots = new Map([
      [0, submit],
      [4, PDU],
    ]);
    const r = setup(slots);
    r.transport.script = aligning((cmd) =>
      cmd === 'AT+CMGL=4'
        ? `\r\n+CMGL: 0,3,,18\r\n${submit}\r\n+CMGL: 4,1,,23\r\n${PDU}\r\n\r\nOK\r\n`
        : r.answerTo(cmd),
    );
    r.transport.feed('\r\n+CMTI: ,-1\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(commands(r.transport)).toEqual(['AT+CMGL=4', 'AT+CMGD=4', 'AT+CPMS?']);
    expect(r.accepted.map((m) => m.index)).toEqual([4]);
    expect(slots.has(0)).toBe(true);
  });

  it('a text-mode +CMGR answer (modem forgot +CMGF=0) asks for re-initialisation and never counts as empty', async () => {
    const slots = new Map([[1, PDU]]);
    const r = setup(slots);
    r.transport.script = aligning((cmd) =>
      cmd === 'AT+CMGR=1'
        ? '\r\n+CMGR: "REC UNREAD","+15550001",,"26/01/01,10:00:00+00"\r\nhello\r\n\r\nOK\r\n'
        : cmd === 'AT+CMGL=4'
          ? '\r\nERROR\r\n'
          : r.answerTo(cmd),
    );
    r.transport.feed('+CMTI: "SM",1\r\n');
    await new Promise((res) => setImmediate(res));
    await r.receiver.idle();
    expect(r.settingsLost).toEqual(['+CMGR answered in text mode']);
    expect(commands(r.transport)).not.toContain('AT+CMGD=1');
    expect(slots.has(1)).toBe(true);
  });
});
