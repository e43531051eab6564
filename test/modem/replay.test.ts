import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { parseTextAnswer } from '../../src/modem/parsers/identity.js';
import { parseCsq } from '../../src/modem/parsers/network.js';
import { parseCmgl, parseCmgr, pduHasNoSmsc } from '../../src/modem/parsers/sms-list.js';
import { parseCpmsTest, parseCpmsUsage } from '../../src/modem/parsers/storage.js';
import { selectQuirks } from '../../src/modem/quirks/index.js';
import { Receiver } from '../../src/modem/receiver.js';
import { sendPart, validateParts } from '../../src/modem/send.js';
import type { ReceivedSms } from '../../src/modem/types.js';
import { registerModemUrcs } from '../../src/modem/urcs.js';
import { decodePdu, encodeSubmit } from '../../src/sms/index.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTransport } from '../at/fake-transport.js';
import { splits } from '../at/wire.js';
import { waitFor } from '../helpers/wait.js';
import { type Fixture, loadFixture } from './fixture.js';

interface Replay {
  lines: string[];
  error: unknown;
  events: string[];
}

/** Runs the fixture's command (if any) against its bytes, split at every boundary; every split must agree. */
async function replay(fixture: Fixture): Promise<Replay> {
  let first: Replay | undefined;
  for (const chunks of splits(fixture.wire)) {
    const transport = new FakeTransport();
    const urcs = new UrcRegistry();
    const events: string[] = [];
    registerModemUrcs(urcs, {
      logger: silentLogger(),
      onStorageNotice: (m, i) => events.push(`notice ${m} ${i}`),
      onDirect: (pdu, len) => events.push(`direct ${len} ${pdu}`),
      onRegistration: (r) => events.push(`registration ${r}`),
      onSignal: (s) => events.push(`signal ${s.rssi_dbm}`),
      onReboot: (l) => events.push(`reboot ${l}`),
      onStorageFull: (l) => events.push(`full ${l}`),
    });
    const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs });
    let result: Replay;
    if (fixture.command) {
      transport.script = () => chunks;
      const bodyLines = /CMG[RL]/.test(fixture.command);
      const opts = fixture.prefix ? { prefix: fixture.prefix, bodyLines } : {};
      const outcome = await channel.run(fixture.command, opts).then(
        (r) => ({ lines: r.lines, error: undefined }),
        (e: unknown) => ({ lines: [], error: e }),
      );
      result = { ...outcome, events };
    } else {
      for (const c of chunks) transport.feed(c);
      result = { lines: [], error: undefined, events };
    }
    if (first) expect(result).toEqual(first);
    else first = result;
  }
  return first!;
}

describe('replayed modem traces', () => {
  it('quectel-ec25-ati: identity lines', async () => {
    const r = await replay(loadFixture('quectel-ec25-ati.txt'));
    expect(r.lines).toEqual(['Quectel', 'EC25', 'Revision: EC25ECGAR06A04M1G']);
    expect(parseTextAnswer(r.lines)).toBe('Quectel');
  });

  it('quectel-ec25-cpin-sim-failure: +CME ERROR 13 becomes a typed error', async () => {
    const r = await replay(loadFixture('quectel-ec25-cpin-sim-failure.txt'));
    expect(r.error).toMatchObject({ kind: 'cme', code: 13, modemText: 'SIM failure' });
  });

  it('quectel-ec25-boot: the boot URCs are seen as a reboot, vendor noise is ignored', async () => {
    const r = await replay(loadFixture('quectel-ec25-boot.txt'));
    expect(r.events).toEqual(['reboot RDY', 'reboot +CPIN: READY', 'reboot +QIND: SMS DONE']);
  });

  it('simcom-sim800-boot and simcom-sim7000-boot: RDY / +CPIN / SMS Ready mean a reboot', async () => {
    expect((await replay(loadFixture('simcom-sim800-boot.txt'))).events).toEqual([
      'reboot RDY',
      'reboot +CPIN: READY',
      'reboot SMS Ready',
    ]);
    expect((await replay(loadFixture('simcom-sim7000-boot.txt'))).events).toEqual([
      'reboot RDY',
      'reboot +CPIN: READY',
      'reboot SMS Ready',
    ]);
  });

  it('ublox-sara-r4-cmgr: +CMGR: 1,,40 and its PDU decode', async () => {
    const r = await replay(loadFixture('ublox-sara-r4-cmgr.txt'));
    const stored = parseCmgr(1, r.lines);
    expect(stored).toMatchObject({ index: 1, stat: 1, length: 40 });
    const sms = decodePdu(stored!.pdu);
    expect(sms.type).toBe('SMS-DELIVER');
  });

  it('huawei-e303-cmgr: CR-only line ends', async () => {
    const r = await replay(loadFixture('huawei-e303-cmgr.txt'));
    const stored = parseCmgr(1, r.lines);
    expect(stored).toMatchObject({ index: 1, stat: 1, length: 23 });
    expect(pduHasNoSmsc(stored!)).toBe(false);
    expect(decodePdu(stored!.pdu)).toMatchObject({ type: 'SMS-DELIVER' });
  });

  it('huawei-e303-cmt: a two-line +CMT URC with CR-only line ends reaches the direct handler', async () => {
    const r = await replay(loadFixture('huawei-e303-cmt.txt'));
    expect(r.events).toEqual(['direct 23 07918497483252F0040B918496445078F700007121320144744004D4F29C0E']);
  });

  it('huawei-e303-cpms-test: memories per slot', async () => {
    const r = await replay(loadFixture('huawei-e303-cpms-test.txt'));
    expect(parseCpmsTest(r.lines)).toEqual([
      ['ME', 'MT', 'SM', 'SR'],
      ['ME', 'MT', 'SM', 'SR'],
      ['ME', 'SM'],
    ]);
  });

  it('huawei-e3131-cmgl-rssi: ^RSSI/^MODE inside the response do not end up in the list', async () => {
    const r = await replay(loadFixture('huawei-e3131-cmgl-rssi.txt'));
    const { messages, skipped } = parseCmgl(r.lines);
    expect(skipped).toEqual([]);
    expect(messages).toMatchObject([{ index: 0, stat: 1, length: 23 }]);
  });

  it('generic-cds: a +CDS status report is routed with its PDU', async () => {
    const r = await replay(loadFixture('generic-cds.txt'));
    expect(r.events).toEqual(['direct 24 07914356060013F1065A098136395339F6219011700463802190117004638030']);
    expect(decodePdu('07914356060013F1065A098136395339F6219011700463802190117004638030')).toMatchObject({
      type: 'SMS-STATUS-REPORT',
    });
  });

  it('gammu-cdsi-status-report: a stored status report without SMSC', async () => {
    const r = await replay(loadFixture('gammu-cdsi-status-report.txt'));
    const stored = parseCmgr(1, r.lines);
    expect(stored).toMatchObject({ index: 1, length: 28 });
    expect(decodePdu(stored!.pdu)).toMatchObject({ type: 'SMS-STATUS-REPORT' });
  });

  it('huawei-e3131-cpms-echo: echo with CR CR LF stripped, usage per memory', async () => {
    const r = await replay(loadFixture('huawei-e3131-cpms-echo.txt'));
    expect(parseCpmsUsage(r.lines)).toEqual([
      { memory: undefined, used: 0, total: 20 },
      { memory: undefined, used: 0, total: 20 },
      { memory: undefined, used: 0, total: 20 },
    ]);
  });

  it('huawei-e3131-cgmi-echo: a bare answer after the echo', async () => {
    const r = await replay(loadFixture('huawei-e3131-cgmi-echo.txt'));
    expect(r.lines).toEqual(['huawei']);
    expect(selectQuirks('auto', parseTextAnswer(r.lines) ?? '', 'E3131').name).toBe('huawei');
  });

  it('huawei-e1752-csq-rssi: signal in dBm; the trailing ^RSSI is ignored noise', async () => {
    const r = await replay(loadFixture('huawei-e1752-csq-rssi.txt'));
    expect(parseCsq(r.lines)).toEqual({ rssi_dbm: -91, quality: 'fair' });
    expect(r.events).toEqual([]);
  });

  it('huawei-e1752-cmgr: echo, header and PDU', async () => {
    const r = await replay(loadFixture('huawei-e1752-cmgr.txt'));
    const stored = parseCmgr(0, r.lines);
    expect(stored).toMatchObject({ index: 0, stat: 1, length: 23 });
    expect(decodePdu(stored!.pdu)).toMatchObject({ type: 'SMS-DELIVER', originator: '+33660334189' });
  });

  it('unknown-cmgr-quoted-alpha: `+CMGR: 0,"",25` (the form python-gsmmodem failed on)', async () => {
    const r = await replay(loadFixture('unknown-cmgr-quoted-alpha.txt'));
    const stored = parseCmgr(13, r.lines);
    expect(stored).toMatchObject({ index: 13, stat: 0, length: 25 });
    expect(decodePdu(stored!.pdu).type).toBe('SMS-DELIVER');
  });

  it('unknown-cmgr-empty-slot-ok: a bare OK means an empty slot', async () => {
    const r = await replay(loadFixture('unknown-cmgr-empty-slot-ok.txt'));
    expect(r.error).toBeUndefined();
    expect(parseCmgr(6, r.lines)).toBeNull();
  });

  it('simcom-sim7000g-cmti-minus1: `+CMTI: ,-1` is a notice without a slot (the receiver sweeps)', async () => {
    const r = await replay(loadFixture('simcom-sim7000g-cmti-minus1.txt'));
    expect(r.events).toEqual(['notice  -1']);
  });

  it('huawei-e3131-cmgl-stored-submit: a stored SMS-SUBMIT with <stat> 3', async () => {
    const r = await replay(loadFixture('huawei-e3131-cmgl-stored-submit.txt'));
    const { messages } = parseCmgl(r.lines);
    expect(messages).toMatchObject([{ index: 0, stat: 3, length: 18 }]);
    expect(decodePdu(messages[0]!.pdu)).toMatchObject({ type: 'SMS-SUBMIT' });
  });

  it('simcom-sim7600-boot: RDY, +CPIN: READY and SMS DONE all mean "rebooted"', async () => {
    const r = await replay(loadFixture('simcom-sim7600-boot.txt'));
    expect(r.events).toEqual(['reboot RDY', 'reboot +CPIN: READY', 'reboot SMS DONE']);
  });

  it('huawei-e1752-cmgl: an unread message listed with echo on', async () => {
    const r = await replay(loadFixture('huawei-e1752-cmgl.txt'));
    const { messages, skipped } = parseCmgl(r.lines);
    expect(skipped).toEqual([]);
    expect(messages).toMatchObject([{ index: 0, stat: 0, length: 23 }]);
    expect(decodePdu(messages[0]!.pdu)).toMatchObject({ type: 'SMS-DELIVER', originator: '+33660334189' });
  });
});

/**
 * A two-sided trace (test/fixtures/*.txt with `# host:` lines): what the host wrote and what the modem answered. The
 * modem's bytes are plain lines, so loadFixture (and the framer fuzz target) still see exactly the modem side.
 */
interface DialogueStep {
  /** Bytes the host wrote; undefined for bytes the modem sent before the first command (URCs). */
  host: string | undefined;
  modem: string;
}

function loadDialogue(name: string): DialogueStep[] {
  const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
  const steps: DialogueStep[] = [{ host: undefined, modem: '' }];
  for (const line of text.split('\n')) {
    const host = /^# host: (.*)$/.exec(line);
    if (host) steps.push({ host: unescapeWire(host[1]!), modem: '' });
    else if (!line.startsWith('#') && line.length > 0) steps.at(-1)!.modem += unescapeWire(line);
  }
  return steps;
}

function unescapeWire(line: string): string {
  return line.replace(/\\(r|n|x[0-9a-fA-F]{2})/g, (_, e: string) =>
    e === 'r' ? '\r' : e === 'n' ? '\n' : String.fromCharCode(Number.parseInt(e.slice(1), 16)),
  );
}

/**
 * Plays a dialogue against the real AT channel: every write must be the trace's next host step, and is answered with
 * the modem bytes the trace has for it (whole, or one byte per chunk). Writes after the trace ends go to `beyond`,
 * which is test input, not part of the capture; a write the trace does not expect is recorded as a mismatch.
 */
function dialogueRig(
  name: string,
  byteByByte: boolean,
  beyond: (written: string) => string | undefined = () => undefined,
) {
  const steps = loadDialogue(name);
  const chunk = (bytes: string) =>
    byteByByte ? [...Buffer.from(bytes, 'latin1')].map((b) => Buffer.from([b])) : [Buffer.from(bytes, 'latin1')];
  const transport = new FakeTransport();
  const urcs = new UrcRegistry();
  const mismatches: string[] = [];
  let next = 1;
  transport.script = (data) => {
    const step = steps[next];
    if (step) {
      if (data !== step.host) {
        mismatches.push(`trace expects ${JSON.stringify(step.host)}, driver wrote ${JSON.stringify(data)}`);
        return undefined;
      }
      next++;
      return chunk(step.modem);
    }
    const answer = beyond(data);
    if (answer === undefined) mismatches.push(`after the trace: unexpected write ${JSON.stringify(data)}`);
    return answer === undefined ? undefined : chunk(answer);
  };
  const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs });
  return {
    transport,
    urcs,
    channel,
    mismatches,
    /** Feeds what the modem sent before the first command (unsolicited lines). */
    start: () => {
      for (const c of chunk(steps[0]!.modem)) transport.feed(c);
    },
    /** Whether every host step of the trace was written, in order. */
    finished: () => next === steps.length,
  };
}

describe('replayed dialogues (host and modem side)', () => {
  for (const byteByByte of [false, true]) {
    const how = byteByByte ? 'one byte per chunk' : 'whole answers';
    it(`quectel-eg25g-cmgs-pdu (${how}): AT+CMGS=41 → "> " → PDU + Ctrl-Z → message reference 23`, async () => {
      const rig = dialogueRig('quectel-eg25g-cmgs-pdu.txt', byteByByte);
      const pdu = '0011000A9121436587090008011C00480065006C006C006F002C005100750065006300740065006C0021';
      const part = { pdu, tpdu_length: 41 };
      validateParts([part]);
      expect(await sendPart(rig.channel, part, 120_000)).toBe(23);
      expect(rig.mismatches).toEqual([]);
      expect(rig.finished()).toBe(true);
      expect(decodePdu(pdu)).toMatchObject({
        type: 'SMS-SUBMIT',
        destination: '+1234567890',
        encoding: 'ucs2',
        text: 'Hello,Quectel!',
      });
    });

    it(`simcom-sim7670g-cmgs-bare-prompt (${how}): a bare ">" line with echo on is the prompt; the PDU goes out`, async () => {
      // A 26-octet TPDU of our own, so the command is the captured AT+CMGS=26.
      const part = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        .map((n) => encodeSubmit({ to: '+15551234567', text: 'x'.repeat(n) })[0]!)
        .find((p) => p.tpdu_length === 26)!;
      // The capture stops after the prompt: this final answer is test input (TS 27.005 §3.5.1 shape).
      const rig = dialogueRig('simcom-sim7670g-cmgs-bare-prompt.txt', byteByByte, (written) =>
        written === `${part.pdu.toUpperCase()}\x1a` ? '\r\n+CMGS: 7\r\n\r\nOK\r\n' : undefined,
      );
      expect(await sendPart(rig.channel, part, 120_000)).toBe(7);
      expect(rig.mismatches).toEqual([]);
      expect(rig.transport.written).toEqual(['AT+CMGS=26\r', `${part.pdu.toUpperCase()}\x1a`]);
    });

    it(`quectel-ec25-cdsi-sm-empty (${how}): +CDSI "SM",0 on an empty slot → the receiver lists storage, SR included`, async () => {
      const accepted: ReceivedSms[] = [];
      let memory = 'SM';
      // After the capture: the receiver's sweep, answered with empty memories (test input).
      const rig = dialogueRig('quectel-ec25-cdsi-sm-empty.txt', byteByByte, (written) => {
        const select = /^AT\+CPMS="(\w+)"\r$/.exec(written);
        if (select) memory = select[1]!;
        if (select) return '\r\n+CPMS: 0,30,0,30,0,30\r\n\r\nOK\r\n';
        if (written === 'AT+CMGL=4\r') return '\r\nOK\r\n';
        if (written === 'AT+CPMS?\r') return '\r\n+CPMS: "SM",0,30,"SM",0,30,"SM",0,30\r\n\r\nOK\r\n';
        return undefined;
      });
      const receiver = new Receiver({
        consumer: { accept: async (sms) => void accepted.push(sms) },
        logger: silentLogger(),
        decode: decodePdu,
        onUndecodable: () => {},
        onConsumerFailure: () => {},
        onChannelTrouble: () => {},
        onStorage: () => {},
        onSettingsLost: () => {},
        // The capture has the plain `AT+CMGR=0` (the driver appends `;+CMEE?` to its reads): replay it byte for byte.
        alignReads: false,
      });
      registerModemUrcs(rig.urcs, {
        logger: silentLogger(),
        onStorageNotice: (m, i) => receiver.notify(m, i),
        onDirect: (pdu, len) => receiver.direct(pdu, len),
        onRegistration: () => {},
        onSignal: () => {},
        onReboot: () => {},
        onStorageFull: () => {},
      });
      receiver.attach(rig.channel, 'SM', ['SM', 'ME', 'SR']);
      rig.start();
      await waitFor('the captured AT+CMGR=0 was written', () => rig.finished());
      await receiver.idle();
      expect(rig.mismatches).toEqual([]);
      expect(rig.transport.written).toEqual([
        'AT+CMGR=0\r',
        'AT+CMGL=4\r',
        'AT+CPMS="ME"\r',
        'AT+CMGL=4\r',
        'AT+CPMS="SR"\r',
        'AT+CMGL=4\r',
        'AT+CPMS="SM"\r',
      ]);
      expect(memory).toBe('SM');
      expect(accepted).toEqual([]);
    });
  }
});
