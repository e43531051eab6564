import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeSubmit } from '../../src/sms/index.js';
import { portUse } from '../../src/util/proc-holders.js';
import { PtyConsole } from '../console/pty-console.js';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;
let sim: TestModemSim | undefined;
let console_: PtyConsole | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-at-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await console_?.kill();
  console_ = undefined;
  await sim?.close();
  sim = undefined;
});

describe('m2m-bridge at, directly on the port (the binary on a pty, the simulator on another pty)', () => {
  it('answers commands, shows URCs with the time, decodes PDUs, explains errors, keeps history across sessions', async () => {
    sim = await startTestModemSim({ profile: 'quectel' });
    const history = join(dir, 'history-direct');
    const env = { M2M_BRIDGE_AT_HISTORY: history };
    console_ = PtyConsole.start(['--port', sim.path], env);
    let at = await console_.expect(/Connected to .* directly/);
    await console_.expect(/AT> /, at);

    console_.type('AT+CSQ\r');
    at = await console_.expect(/\+CSQ: \d+,\d+\n {4}↳ signal -\d+ dBm \(RSSI\), (?:excellent|good|fair|poor)/, at);
    at = await console_.expect(/\nOK\n/, at);
    console_.type('AT+COPS?\r');
    at = await console_.expect(/\+COPS: 0,\d,"[^"]+",\d\n {4}↳ operator .+; automatic selection\nOK\n/, at);
    console_.type('AT+CREG?\r');
    at = await console_.expect(/\+CREG: \d,[15]\n {4}↳ registered/, at);

    // An SMS arrives: +CMTI shows up on its own, timestamped, while the technician is idle.
    sim.modem.injectSms({ from: '2936', text: 'hello technician' });
    at = await console_.expect(/\[\d\d:\d\d:\d\d\.\d{3}\] URC \+CMTI: "ME",(\d+)/, at);
    const index = /\+CMTI: "ME",(\d+)/.exec(console_.text)![1];

    console_.type(`AT+CMGR=${index}\r`);
    at = await console_.expect(/↳ SMS-DELIVER from 2936 at \S+: "hello technician"\nOK\n/, at);

    console_.type('AT+CMGR=77\r');
    at = await console_.expect(/\+CMS ERROR: 321\n {4}↳ invalid memory index \(3GPP TS 27\.005 §3\.2\.5\)/, at);

    sim.modem.setFaults({ simNotReady: { code: 10, forMs: 60_000 } });
    console_.type('AT+CPIN?\r');
    at = await console_.expect(/\nERROR\n {4}↳ no reason given: AT\+CMEE=1/, at);
    console_.type('AT+CMEE=1\r');
    at = await console_.expect(/\nOK\n/, at);
    console_.type('AT+CPIN?\r');
    at = await console_.expect(/\+CME ERROR: 10\n {4}↳ SIM not inserted \(3GPP TS 27\.007 §9\.2\)/, at);

    // Line editing: Ctrl-U clears a half-typed line; the up arrow walks back AT+CPIN?, AT+CMEE=1, AT+CPIN?
    // (duplicates are kept once), AT+CMGR=77.
    sim.modem.setFaults({ simNotReady: null });
    console_.type('AT+XYZ\x15');
    console_.type('\x1b[A\x1b[A\x1b[A\r');
    at = await console_.expect(/↳ invalid memory index/, at);

    console_.type('.quit\r');
    expect(await console_.exited()).toBe(0);
    const saved = readFileSync(history, 'utf8').split('\n');
    // Newest first, duplicates removed (the recalled AT+CMGR=77 moved to the top).
    expect(saved.slice(0, 7)).toEqual([
      'AT+CMGR=77',
      'AT+CPIN?',
      'AT+CMEE=1',
      `AT+CMGR=${index}`,
      'AT+CREG?',
      'AT+COPS?',
      'AT+CSQ',
    ]);

    // The next session starts with that history: one up arrow is the last command of the previous one.
    console_ = PtyConsole.start(['--port', sim.path], env);
    at = await console_.expect(/AT> /);
    console_.type('\x1b[A\r');
    await console_.expect(/\+CMS ERROR: 321/, at);
    console_.type('\x04'); // Ctrl-D leaves too
    expect(await console_.exited()).toBe(0);
  });

  it('sends an SMS by hand: AT+CMGS=<n>, the "> " prompt, the PDU with Ctrl-Z; .esc cancels the next one', async () => {
    sim = await startTestModemSim({ profile: 'quectel' });
    const [part] = encodeSubmit({ to: '2936', text: 'typed by hand' });
    console_ = PtyConsole.start(['--port', sim.path], { M2M_BRIDGE_AT_HISTORY: join(dir, 'history-cmgs') });
    let at = await console_.expect(/AT> /);
    console_.type('AT+CMGF=0\r');
    at = await console_.expect(/\nOK\n/, at);
    console_.type(`AT+CMGS=${part!.tpdu_length}\r`);
    at = await console_.expect(/> \(enter the PDU; it is sent with Ctrl-Z\. \.esc cancels\)/, at);
    console_.type(`${part!.pdu}\r`);
    at = await console_.expect(/\+CMGS: \d+\nOK\n/, at);
    await waitFor('the SMS at the simulated network', () =>
      sim!.modem.sent().find((sms) => sms.text === 'typed by hand'),
    );
    expect(sim.modem.sent()[0]).toMatchObject({ destination: '2936' });

    console_.type(`AT+CMGS=${part!.tpdu_length}\r`);
    at = await console_.expect(/> \(enter the PDU/, at);
    console_.type('.esc\r');
    // ESC leaves input mode; the modem answers the cancelled +CMGS with OK or ERROR (27.005 §3.5.1), nothing is sent.
    at = await console_.expect(/\n(?:OK|ERROR|\+CMS ERROR: \d+)\n/, at);
    console_.type('AT\r');
    at = await console_.expect(/\nOK\n/, at);
    expect(sim.modem.sent()).toHaveLength(1);
    // Commands carrying a PIN or password are answered but never saved, nor is a message body typed at "> ".
    console_.type('AT+CPIN="1234"\r');
    at = await console_.expect(/\n(?:OK|ERROR|\+CME ERROR: \d+)\n/, at);
    console_.type('AT+CLCK="SC",0,"1234"\r');
    at = await console_.expect(/\n(?:OK|ERROR|\+CME ERROR: \d+)\n/, at);
    console_.type('.quit\r');
    expect(await console_.exited()).toBe(0);
    const saved = readFileSync(join(dir, 'history-cmgs'), 'utf8');
    expect(saved).toContain(`AT+CMGS=${part!.tpdu_length}`);
    expect(saved).not.toContain('1234');
    expect(saved).not.toContain(part!.pdu);
    expect(saved).not.toContain('.esc');
  });

  it('names the program holding the port when it is not the daemon, and exits 1 without touching the modem', async () => {
    sim = await startTestModemSim({ profile: 'generic' });
    // flock(1) takes the same exclusive lock serialport does, as minicom or a second console would hold the port.
    const holder = spawn('flock', ['--nonblock', sim.ptyPath, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await waitFor('flock holding the pty', async () => (await portUse(sim!.ptyPath, process.pid)).holders.length > 1);
      const before = sim.modem.log().length;
      const result = await runCli(['at', '--port', sim.path], { stdin: 'AT\n' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`is held by (?:flock|sleep) \\(pid ${holder.pid}\\)|\\(pid ${holder.pid}\\)`),
      );
      expect(result.stderr).toContain('not by the daemon: stop that program first');
      expect(
        sim.modem
          .log()
          .slice(before)
          .some((entry) => entry.direction === 'in'),
      ).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('says when the port goes away (unplug); Ctrl-C gives up on a modem that hangs and keeps the console', async () => {
    sim = await startTestModemSim({ profile: 'generic' });
    const env = { M2M_BRIDGE_AT_HISTORY: join(dir, 'history-hang') };
    console_ = PtyConsole.start(['--port', sim.path], env);
    let at = await console_.expect(/AT> /);
    sim.modem.setFaults({ hang: true });
    console_.type('AT+CSQ\r');
    at = await console_.expect(/AT\+CSQ\n/, at);
    console_.type('\x03');
    // Well before the command's 5 s deadline, the prompt is back and the console still works.
    at = await console_.expect(/\(canceled: no longer waiting; a late answer is shown as it arrives\)/, at, 3000);
    at = await console_.expect(/AT> /, at);
    sim.modem.setFaults({ hang: false });
    console_.type('AT\r');
    at = await console_.expect(/\nOK\n/, at);
    // A half-typed line: Ctrl-C clears it. At an empty prompt: the first says how to leave, the second leaves.
    console_.type('AT+CGMI');
    console_.type('\x03');
    console_.type('\x03');
    at = await console_.expect(/\(to leave, press Ctrl-C again, Ctrl-D, or type \.quit\)/, at);
    console_.type('\x03');
    expect(await console_.exited()).toBe(0);
    expect(console_.text).not.toMatch(/\+CGMI:|AT\+CGMI\n/);

    console_ = PtyConsole.start(['--port', sim.path], env);
    at = await console_.expect(/AT> /);
    await sim.unplug();
    at = await console_.expect(/\[\d\d:\d\d:\d\d\.\d{3}\] port closed/, at);
    console_.type('AT\r');
    await console_.expect(/the port is closed; leave with \.quit/, at);
    console_.type('.quit\r');
    expect(await console_.exited()).toBe(0);
  });

  it('runs piped input line by line (scripts), and fails with exit 1 naming a port that does not exist', async () => {
    sim = await startTestModemSim({ profile: 'generic' });
    const piped = await runCli(['at', '--port', sim.path], {
      stdin: 'AT\nAT+CREG?\n',
      env: { M2M_BRIDGE_AT_HISTORY: join(dir, 'history-piped') },
    });
    expect(piped.code, piped.stderr).toBe(0);
    // Each command echoed before its answer; the banner on stderr, so stdout is only the dialogue.
    expect(piped.stdout).toMatch(/^AT\nOK\nAT\+CREG\?\n\+CREG: \d,\d\n {4}↳ [^\n]+\nOK\n$/);
    expect(piped.stderr).toMatch(/^Connected to .* directly/);
    // A failing command makes the script fail (exit 1), and the lines after it still run.
    const failing = await runCli(['at', '--port', sim.path], {
      stdin: 'AT+NOSUCH\nAT+CGMI\n',
      env: { M2M_BRIDGE_AT_HISTORY: join(dir, 'history-piped') },
    });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/AT\+NOSUCH\n(?:ERROR|\+CME ERROR: \d+)\n/);
    expect(failing.stdout).toMatch(/AT\+CGMI\n[^\n]+\nOK\n$/);
    const missing = await runCli(['at', '--port', join(dir, 'no-such-tty')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-tty/);
    expect((await runCli(['at', '--baud', 'fast'])).code).toBe(2);
  });
});

describe('m2m-bridge at while the daemon holds the port (real Mosquitto, the daemon, the simulator)', () => {
  let broker: MosquittoBroker;
  let daemon: DaemonProcess | undefined;
  beforeAll(async () => {
    broker = await MosquittoBroker.start();
  });
  afterAll(async () => {
    await daemon?.kill();
    await broker.close();
  });

  it('--via-daemon says when no daemon is seen on the base topic, and exits 1 when the broker is unreachable', async () => {
    console_ = PtyConsole.start(['--via-daemon', '--mqtt-url', broker.url, '--base-topic', 'nobody-here'], {
      M2M_BRIDGE_AT_HISTORY: join(dir, 'h4'),
    });
    const at = await console_.expect(
      /no nobody-here\/bridge\/state on mqtt:\/\/127\.0\.0\.1:\d+: is the daemon running/,
    );
    console_.type('.quit\r');
    await console_.expect(/AT> /, at - 200);
    expect(await console_.exited()).toBe(0);
    const unreachable = await runCli(['at', '--via-daemon', '--mqtt-url', 'mqtt://127.0.0.1:1']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach the daemon's broker at mqtt:\/\/127\.0\.0\.1:1/);
  });

  it('finds the port locked, goes through bridge/request/at, answers read-only queries and refuses the rest', async () => {
    sim = await startTestModemSim({ profile: 'quectel' });
    const base = 'gw-at';
    const configYaml = daemonConfig(
      { serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') },
      { log: { level: 'info' } },
    );
    daemon = DaemonProcess.start(dir, configYaml);
    const watcher = await TestSubscriber.connect(broker.url, [`${base}/modem/state`]);
    await waitFor('modem ready', () => watcher.messages.some((m) => m.text.includes('"ready"')), 20_000);
    await watcher.close();

    console_ = PtyConsole.start(['--config', join(dir, 'config.yaml')], { M2M_BRIDGE_AT_HISTORY: join(dir, 'h3') });
    let at = await console_.expect(/is held by the daemon \(pid \d+\): going through the daemon/);
    at = await console_.expect(/gw-at\/bridge\/request\/at/, 0);
    await console_.expect(/AT> /, at);

    console_.type('at+csq\r');
    at = await console_.expect(/\+CSQ: \d+,\d+\n {4}↳ signal -\d+ dBm[^\n]*\nOK\n/, at);
    // +CREG is also a URC the daemon's driver listens for (it sets n=2, so the answer carries the cell's location):
    // the answer must still come back as the answer.
    console_.type('AT+CREG?\r');
    at = await console_.expect(/\+CREG: 2,[15],"[0-9A-F]+","[0-9A-F]+",\d\n {4}↳ registered[^\n]*\nOK\n/, at);
    console_.type('AT+CMGD=1,4\r');
    at = await console_.expect(
      /error from the daemon: "AT\+CMGD=1,4" is not allowed while the daemon holds the modem/,
      at,
    );
    sim.modem.setFaults({ simNotReady: { code: 10, forMs: 60_000 } });
    console_.type('AT+CPIN?\r');
    at = await console_.expect(/\+CME ERROR: 10\n {4}↳ SIM not inserted/, at);
    console_.type('.quit\r');
    expect(await console_.exited()).toBe(0);

    // Nothing the console typed reached the modem as a delete; the daemon is still running.
    expect(sim.modem.log().some((entry) => entry.direction === 'in' && entry.text.includes('CMGD=1,4'))).toBe(false);
    expect(daemon.child.exitCode).toBeNull();
  });
});
