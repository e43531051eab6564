import { afterEach, describe, expect, it } from 'vitest';
import { encodeSubmit } from '../../src/sms/index.js';
import { waitFor } from '../helpers/wait.js';
import { FAST_TIMING, type Rig, startRig, waitForDrained, waitForState } from './harness.js';

/**
 * Every simulator fault (device/modem/faults.ts): the driver must end in `ready` again and hand over every stored
 * message exactly once.
 */
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function inject(r: Rig, ...texts: string[]): void {
  for (const text of texts) r.sim.modem.injectSms({ from: '2936', text });
}

async function expectExactlyOnce(r: Rig, texts: string[]): Promise<void> {
  await waitForDrained(r, texts.length);
  await r.modem.receiveIdle();
  expect(r.consumer.texts().sort()).toEqual([...texts].sort());
  await waitForState(r.modem, 'ready');
}

describe('recovery from simulator faults', () => {
  it('slow answers (responseDelayMs)', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ responseDelayMs: 300 });
    inject(rig, 'slow 1', 'slow 2');
    await expectExactlyOnce(rig, ['slow 1', 'slow 2']);
  });

  it('a hung modem: degraded while it hangs, ready again after, message stored meanwhile is read', async () => {
    rig = await startRig({ profile: 'simcom' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ hang: true });
    inject(rig, 'during hang');
    await waitFor('degraded or disconnected', () => rig!.modem.state !== 'ready', 10_000);
    rig.sim.modem.setFaults({ hang: false });
    await expectExactlyOnce(rig, ['during hang']);
  });

  it('a modem that stays hung gets the vendor reset (+CFUN=1,1), then the port is reopened', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ hang: true });
    await waitFor(
      'AT+CFUN=1,1 written to the hung modem',
      () => rig!.sim.modem.log().some((e) => e.direction === 'in' && e.text.includes('AT+CFUN=1,1')),
      20_000,
    );
    rig.sim.modem.setFaults({ hang: false });
    inject(rig, 'after reset');
    await expectExactlyOnce(rig, ['after reset']);
  });

  it('line noise before responses (garbage)', async () => {
    rig = await startRig({ profile: 'generic' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ garbage: 4 });
    inject(rig, 'noisy 1', 'noisy 2');
    await expectExactlyOnce(rig, ['noisy 1', 'noisy 2']);
  });

  it('dropped lines (a lost OK or +CMTI): recovery and the safety-net sweep', async () => {
    rig = await startRig({ profile: 'ublox' }, { timing: { ...FAST_TIMING, sweepIntervalMs: 1000 } });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ dropLines: 2 });
    inject(rig, 'dropped 1', 'dropped 2');
    await expectExactlyOnce(rig, ['dropped 1', 'dropped 2']);
  });

  it('doubled lines never hand a message over twice', async () => {
    rig = await startRig({ profile: 'huawei' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ doubleLines: 12 });
    inject(rig, 'double 1', 'double 2', 'double 3');
    await expectExactlyOnce(rig, ['double 1', 'double 2', 'double 3']);
  });

  it('URCs inside responses', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ urcInResponse: 10 });
    inject(rig, 'inside 1', 'inside 2');
    await expectExactlyOnce(rig, ['inside 1', 'inside 2']);
  });

  it('a reboot: re-init and sweep, messages before and after are read once', async () => {
    rig = await startRig({ profile: 'simcom' });
    await waitForState(rig.modem, 'ready');
    let open!: () => void;
    rig.consumer.gate = new Promise((r) => {
      open = r;
    });
    inject(rig, 'before reboot');
    await waitFor('the message at the consumer', () => rig!.consumer.entered === 1);
    rig.sim.modem.reboot();
    open();
    rig.consumer.gate = undefined;
    await waitFor(
      're-initialisation after the reboot',
      () => rig!.states.lastIndexOf('initializing') > rig!.states.indexOf('ready'),
    );
    await waitForState(rig.modem, 'ready');
    inject(rig, 'after reboot');
    await expectExactlyOnce(rig, ['before reboot', 'after reboot']);
  });

  it('a reboot while a command waits for its answer: abandoned at once, not after its deadline', async () => {
    // Deadlines of a minute: recovering by timeout would blow the 15 s waits below.
    rig = await startRig({ profile: 'quectel' }, { timing: { ...FAST_TIMING, commandTimeoutMs: 60_000 } });
    await waitForState(rig.modem, 'ready');
    const since = rig.sim.modem.log().at(-1)?.seq ?? 0;
    // The modem takes commands but holds every answer: whatever the driver sends next stays in flight.
    rig.sim.modem.setFaults({ responseDelayMs: 60_000 });
    inject(rig, 'stored before the reboot');
    await waitFor('a command in flight at the modem', () =>
      rig!.sim.modem.log(since).some((e) => e.direction === 'in' && e.text.startsWith('AT')),
    );
    rig.sim.modem.setFaults({ responseDelayMs: 0 });
    const readyBefore = rig.states.lastIndexOf('ready');
    rig.sim.modem.reboot();
    await waitFor('re-initialisation after the reboot', () => rig!.states.lastIndexOf('initializing') > readyBefore);
    await waitForState(rig.modem, 'ready');
    await expectExactlyOnce(rig, ['stored before the reboot']);
  });

  it('boot lines that come after init (Quectel SMS DONE / PB DONE) are not taken for another reboot', async () => {
    rig = await startRig({ profile: 'quectel', smsReadyDelayMs: 2000 });
    await waitForState(rig.modem, 'ready');
    const since = rig.sim.modem.log().at(-1)?.seq ?? 0;
    const readyBefore = rig.states.lastIndexOf('ready');
    rig.sim.modem.reboot();
    await waitFor('re-initialisation after the reboot', () => rig!.states.lastIndexOf('initializing') > readyBefore);
    await waitForState(rig.modem, 'ready');
    // The EC25 answers SMS commands before it announces SMS DONE: the driver is ready before the tail of the boot.
    const bootTail = () => rig!.sim.modem.log(since).filter((e) => e.direction === 'out' && /PB DONE/.test(e.text));
    expect(bootTail()).toEqual([]);
    await waitFor('+QIND: PB DONE from the modem', () => bootTail().length > 0);
    // A message after the tail has been read and handed over, so the driver has long seen the tail.
    inject(rig, 'after the boot tail');
    await expectExactlyOnce(rig, ['after the boot tail']);
    expect(rig.states.slice(readyBefore + 1).filter((s) => s === 'initializing')).toHaveLength(1);
  });

  it('unplug and replug: disconnected, reopened at the same path, nothing lost or repeated', async () => {
    rig = await startRig({ profile: 'quectel' });
    await waitForState(rig.modem, 'ready');
    let open!: () => void;
    rig.consumer.gate = new Promise((r) => {
      open = r;
    });
    inject(rig, 'before unplug');
    await waitFor('the message at the consumer', () => rig!.consumer.entered === 1);
    await rig.sim.unplug();
    open(); // the journal commits, but +CMGD can no longer reach the modem
    rig.consumer.gate = undefined;
    await waitForState(rig.modem, 'disconnected');
    await rig.sim.replug();
    await waitForState(rig.modem, 'ready');
    inject(rig, 'after replug');
    await expectExactlyOnce(rig, ['before unplug', 'after replug']);
  });

  it('+CMS ERROR 512 on send is transient and the next send works', async () => {
    rig = await startRig({ profile: 'simcom' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ sendError: { code: 512, count: 1 } });
    const parts = encodeSubmit({ to: '2936', text: 'retry me' });
    await expect(rig.modem.send(parts)).rejects.toMatchObject({ classification: 'transient', code: 512 });
    await expect(rig.modem.send(parts)).resolves.toMatchObject({ message_references: [expect.any(Number)] });
    expect(rig.modem.state).toBe('ready');
  });

  it('SIM busy at start (+CME ERROR: 14) is waited out', async () => {
    rig = await startRig({ profile: 'quectel' }, {}, (sim) =>
      sim.modem.setFaults({ simNotReady: { code: 14, forMs: 1500 } }),
    );
    await waitForState(rig.modem, 'ready');
    inject(rig, 'after sim busy');
    await expectExactlyOnce(rig, ['after sim busy']);
  });

  it('SIM not inserted for a while: not initialised with a reason (no sending), then ready', async () => {
    rig = await startRig({ profile: 'generic' }, {}, (sim) =>
      sim.modem.setFaults({ simNotReady: { code: 10, forMs: 1500 } }),
    );
    const status = await waitFor(
      'not initialised with a SIM reason',
      () => {
        const s = rig!.modem.status();
        return /SIM/.test(s.reason ?? '') ? s : undefined;
      },
      10_000,
    );
    expect(status).toMatchObject({ state: 'not_initialized', cause: 'sim_missing', sim_lock: null });
    await expect(rig.modem.send(encodeSubmit({ to: '2936', text: 'x' }))).rejects.toMatchObject({
      classification: 'transient',
      maybe_sent: false,
    });
    await waitForState(rig.modem, 'ready');
  });

  it('no registration: degraded, sends fail transiently (331), ready again when registered', async () => {
    rig = await startRig({ profile: 'ublox' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ noNetwork: true });
    await waitForState(rig.modem, 'degraded');
    expect(rig.modem.status().reason).toMatch(/not registered/);
    await expect(rig.modem.send(encodeSubmit({ to: '2936', text: 'x' }))).rejects.toMatchObject({
      classification: 'transient',
    });
    rig.sim.modem.setFaults({ noNetwork: false });
    await waitForState(rig.modem, 'ready');
  });

  it('storage full: messages wait at the network, arrive once it is cleared', async () => {
    rig = await startRig({ profile: 'simcom', networkRetryMs: 200 });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ storageFull: true });
    inject(rig, 'held 1', 'held 2');
    expect(rig.sim.modem.state().held_by_network).toBe(2);
    expect(rig.consumer.accepted).toHaveLength(0);
    rig.sim.modem.setFaults({ storageFull: false });
    await expectExactlyOnce(rig, ['held 1', 'held 2']);
  });
});

describe('faults the driver has to meet on its own terms', () => {
  it('a modem that keeps echoing after ATE0, with URCs inside the echo (echoAfterAte0 + urcInEcho)', async () => {
    rig = await startRig({ profile: 'quectel' }, {}, (sim) => sim.modem.setFaults({ echoAfterAte0: true }));
    await waitForState(rig.modem, 'ready');
    await rig.modem.receiveIdle();
    // Fewer than the commands the traffic below needs (two reads, two deletes, a send): every one of them fires.
    rig.sim.modem.setFaults({ urcInEcho: 4 });
    inject(rig, 'echoed 1', 'echoed 2');
    await waitForDrained(rig, 2);
    const sent = await rig.modem.send(encodeSubmit({ to: '2936', text: 'through the echo' }));
    expect(rig.sim.modem.faults().urcInEcho).toBe(0);
    expect(sent.message_references).toEqual([rig.sim.modem.sent()[0]!.message_reference]);
    // Commands whose answer has no prefix show whether the echo (and the URC inside it) was told apart from it.
    expect(rig.modem.status().identity).toMatchObject({ manufacturer: 'Quectel', model: 'EC25' });
    rig.sim.modem.setFaults({ urcInEcho: 1 });
    expect(await rig.modem.runCommand('AT+CGMM')).toEqual({ lines: ['EC25'] });
    expect(rig.sim.modem.faults().urcInEcho).toBe(0);
    expect(rig.sim.modem.sent().map((sms) => sms.text)).toEqual(['through the echo']);
    await expectExactlyOnce(rig, ['echoed 1', 'echoed 2']);
  });

  it('a URC before the > prompt (urcBeforePrompt): the send completes with its message reference', async () => {
    rig = await startRig({ profile: 'huawei' });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ urcBeforePrompt: 2 });
    const first = await rig.modem.send(encodeSubmit({ to: '2936', text: 'after a URC' }));
    const second = await rig.modem.send(encodeSubmit({ to: '+15005550006', text: 'and another' }));
    expect(rig.sim.modem.faults().urcBeforePrompt).toBe(0);
    expect([...first.message_references, ...second.message_references]).toEqual(
      rig.sim.modem.sent().map((sms) => sms.message_reference),
    );
    expect(rig.sim.modem.sent().map((sms) => [sms.destination, sms.text])).toEqual([
      ['2936', 'after a URC'],
      ['+15005550006', 'and another'],
    ]);
    expect(rig.modem.state).toBe('ready');
  });

  it('a send slower than any ordinary command (sendDelayMs) succeeds; a message arriving meanwhile is read after', async () => {
    // Ordinary commands get 5 s (src/at/command-timeouts.ts); +CMGS gets the send deadline, here capped at 10 s.
    rig = await startRig({ profile: 'simcom' }, { timing: { ...FAST_TIMING, commandTimeoutMs: 10_000 } });
    await waitForState(rig.modem, 'ready');
    const readyAt = rig.states.length;
    rig.sim.modem.setFaults({ sendDelayMs: 6000 });
    const started = Date.now();
    const sending = rig.modem.send(encodeSubmit({ to: '2936', text: 'slow network' }));
    await waitFor('the send at the modem', () => rig!.sim.modem.log().some((e) => e.text.endsWith('<ctrl-z>')));
    inject(rig, 'while sending');
    const { message_references } = await sending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(5900);
    expect(message_references).toEqual([rig.sim.modem.sent()[0]!.message_reference]);
    await expectExactlyOnce(rig, ['while sending']);
    // No recovery climbed for a send that was merely slow.
    expect(rig.states.slice(readyAt)).not.toContain('degraded');
  });

  it('a failed delivery (deliveryOutcome failed): the status report reaches the consumer, marked failed', async () => {
    rig = await startRig({ profile: 'generic', statusReportDelayMs: 50 });
    await waitForState(rig.modem, 'ready');
    rig.sim.modem.setFaults({ deliveryOutcome: 'failed' });
    const { message_references } = await rig.modem.send(
      encodeSubmit({ to: '+15005550006', text: 'report back', statusReport: true }),
    );
    await waitForDrained(rig, 1);
    const [report] = rig.consumer.accepted;
    expect(report?.decoded).toMatchObject({
      type: 'SMS-STATUS-REPORT',
      message_reference: message_references[0],
      recipient: '+15005550006',
      delivery_status: 'failed',
    });
    await rig.modem.receiveIdle();
    expect(rig.consumer.accepted).toHaveLength(1);
    expect(rig.modem.state).toBe('ready');
  });

  it('a modem that refuses +CNMI ds=2 although it lists it (rejectCnmi): the fallback is set, messages and reports arrive', async () => {
    rig = await startRig({ profile: 'generic', statusReportDelayMs: 50 }, {}, (sim) =>
      sim.modem.setFaults({ rejectCnmi: { ds: [2] } }),
    );
    await waitForState(rig.modem, 'ready');
    const log = rig.sim.modem.log();
    const answerTo = (command: string) => {
      const at = log.findIndex((e) => e.direction === 'in' && e.text === command);
      return at < 0 ? undefined : log.slice(at + 1).find((e) => e.direction === 'out')?.text;
    };
    expect(answerTo('AT+CNMI=2,1,0,2,0')).toMatch(/ERROR/);
    expect(answerTo('AT+CNMI=2,1,0,1,0')).toBe('OK');
    expect(rig.sim.modem.state().settings.cnmi).toEqual([2, 1, 0, 1, 0]);
    inject(rig, 'after the fallback 1', 'after the fallback 2');
    await expectExactlyOnce(rig, ['after the fallback 1', 'after the fallback 2']);
    // ds=1: the status report comes straight to the driver as +CDS.
    const { message_references } = await rig.modem.send(
      encodeSubmit({ to: '2936', text: 'report please', statusReport: true }),
    );
    await waitFor('the status report at the consumer', () =>
      rig!.consumer.accepted.find((m) => m.decoded?.type === 'SMS-STATUS-REPORT'),
    );
    const report = rig.consumer.accepted.find((m) => m.decoded?.type === 'SMS-STATUS-REPORT');
    expect(report).toMatchObject({ source: 'direct', decoded: { message_reference: message_references[0] } });
  });

  it('a storage-full URC (+QIND: "smsfull") makes the driver sweep: every message read once', async () => {
    // No status polls or periodic sweeps during the test: only the URC can make the driver look.
    const timing = { ...FAST_TIMING, statusIntervalMs: 60_000, sweepIntervalMs: 60_000 };
    rig = await startRig({ profile: 'quectel', storage: { ME: 2 }, networkRetryMs: 60_000 }, { timing });
    await waitForState(rig.modem, 'ready');
    await rig.modem.receiveIdle();
    const since = rig.sim.modem.log().at(-1)?.seq ?? 0;
    // The two +CMTI get lost on the line; the +QIND that follows the second one does not.
    rig.sim.modem.setFaults({ dropLines: 2 });
    inject(rig, 'full 1', 'full 2');
    await waitForDrained(rig, 2, 5000);
    await rig.modem.receiveIdle();
    const log = rig.sim.modem.log(since);
    expect(log.filter((e) => e.text.startsWith('(dropped) +CMTI'))).toHaveLength(2);
    const urc = log.findIndex((e) => e.direction === 'out' && e.text === '+QIND: "smsfull","ME"');
    expect(urc).toBeGreaterThanOrEqual(0);
    expect(log.slice(urc).some((e) => e.direction === 'in' && /^AT\+CMGL/.test(e.text))).toBe(true);
    expect(rig.consumer.texts()).toEqual(['full 1', 'full 2']);
    expect(rig.modem.state).toBe('ready');
  });
});

describe('SIM PIN', () => {
  it('enters the configured PIN and becomes ready', async () => {
    rig = await startRig({ profile: 'quectel', pin: '1234' }, { pin: '1234' });
    await waitForState(rig.modem, 'ready');
    expect(rig.sim.modem.state().sim).toBe('ready');
  });

  it('a wrong PIN is sent once and never again (no PUK lock), with a cause and the tries left', async () => {
    rig = await startRig({ profile: 'simcom', pin: '1234' }, { pin: '0000' });
    const cpinQueries = () =>
      rig!.sim.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CPIN?')).length;
    await waitFor('not initialised, PIN refused', () => rig!.modem.status().cause === 'sim_pin_rejected', 10_000);
    // Several rechecks later the SIM still has attempts left and was asked only once; the port stayed open.
    const before = cpinQueries();
    await waitFor('a few SIM rechecks', () => cpinQueries() >= before + 4, 10_000);
    const pinTries = rig.sim.modem.log().filter((e) => e.direction === 'in' && /AT\+CPIN=/.test(e.text));
    expect(pinTries).toHaveLength(1);
    expect(rig.sim.modem.state().sim).toBe('pin_required');
    expect(rig.states.filter((s) => s === 'initializing')).toHaveLength(1);
    expect(rig.modem.status()).toMatchObject({
      state: 'not_initialized',
      sim_lock: { lock: 'SIM PIN', attempts_left: 2 },
      reason: expect.stringMatching(/PIN was refused.*2 tries left/),
    });
    expect(JSON.stringify({ ...rig.modem.status(), identity: null })).not.toContain('0000'); // ICCID has 0000
  });

  it('a SIM unlocked by hand (+CPIN: READY) is picked up at once, not at the next slow recheck', async () => {
    rig = await startRig(
      { profile: 'quectel', pin: '1234' },
      { timing: { simRecheckMinMs: 600_000, simRecheckMaxMs: 600_000 } },
    );
    await waitFor('not initialised, PIN wanted', () => rig!.modem.status().cause === 'sim_pin_required', 10_000);
    // A technician enters the PIN on the driver's own channel (as `m2m-bridge at` through the daemon would).
    await rig.modem.runCommand('AT+CPIN="1234"');
    await waitForState(rig.modem, 'ready');
    expect(rig.modem.status()).toMatchObject({ cause: null, sim_lock: null });
  });

  it('a SIM that wants a PIN when none is configured: not initialised, the reason names modem.pin', async () => {
    rig = await startRig({ profile: 'generic', pin: '1234' });
    await waitFor(
      'not initialised naming modem.pin',
      () => /modem\.pin/.test(rig!.modem.status().reason ?? ''),
      10_000,
    );
    expect(rig.modem.state).toBe('not_initialized');
    expect(rig.modem.status()).toMatchObject({
      cause: 'sim_pin_required',
      sim_lock: { lock: 'SIM PIN', attempts_left: 3 },
    });
  });
});
