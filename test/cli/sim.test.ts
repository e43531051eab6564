import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { portUse } from '../../src/util/proc-holders.js';
import { runCli } from '../helpers/cli.js';
import { openSerial, startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// The technician with a locked SIM: `m2m-bridge sim` against the simulator on a pty, through the built binary.
// PINs are distinctive digits so that any leak into the output would show.

const PIN = '7391';
const PUK = '48265013';
let dir: string;
let sim: TestModemSim | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-sim-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function codeFile(name: string, value: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return path;
}

const simCli = (args: string[], stdin?: string) =>
  runCli(['sim', ...args, '--port', sim!.path], stdin === undefined ? {} : { stdin });

function expectNoSecrets(result: { stdout: string; stderr: string }, ...secrets: string[]) {
  for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
}

describe('m2m-bridge sim', () => {
  it('status: what the SIM waits for, tries left and the PIN lock, as text and JSON', async () => {
    sim = await startTestModemSim({ profile: 'quectel', pin: PIN });
    const text = await simCli(['status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('SIM: SIM PIN\nPIN tries left: 3, PUK tries left: 10\nPIN lock at power-on: on\n');
    const json = await simCli(['status', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      state: 'SIM PIN',
      pin_retries: 3,
      puk_retries: 10,
      retries_from: 'AT+CPINR',
      pin_lock_enabled: true,
    });
  });

  it('unlock: a wrong PIN says the tries left; the last try is refused without --last-attempt; the PIN unlocks', async () => {
    sim = await startTestModemSim({ profile: 'simcom', pin: PIN });
    const wrong = codeFile('wrong', '0000');
    const first = await simCli(['unlock', '--pin-file', wrong]);
    expect(first.code).toBe(1);
    expect(first.stderr).toBe('m2m-bridge sim: wrong PIN; PIN tries left: 2, PUK tries left: 10\n');
    expect((await simCli(['unlock', '--pin-file', wrong])).stderr).toContain('PIN tries left: 1');
    const good = codeFile('good', PIN);
    const refused = await simCli(['unlock', '--pin-file', good]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 PIN try left: a wrong PIN now blocks the SIM');
    expect(sim.modem.state().sim).toBe('pin_required');
    const done = await simCli(['unlock', '--pin-file', good, '--last-attempt']);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('unlocked with the PIN: the SIM is READY\n');
    expect(sim.modem.state().sim).toBe('ready');
    expectNoSecrets(done, PIN);
    // Nothing to do on an unlocked SIM, and nothing sent.
    expect((await simCli(['unlock', '--pin-file', good])).stdout).toContain('not locked (READY): nothing to do');
  });

  it('unlock of a SIM PUK: the PUK and a new PIN from files (or stdin); the new PIN is the PIN after a restart', async () => {
    sim = await startTestModemSim({ profile: 'generic', pin: PIN, puk: PUK });
    const port = await openSerial(sim.path);
    for (const wrong of ['0001', '0002', '0003']) await port.at.command(`AT+CPIN="${wrong}"`);
    await port.close();
    expect(sim.modem.state().sim).toBe('puk_required');
    const missing = await simCli(['unlock', '--puk-file', codeFile('puk', PUK)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--new-pin-file FILE is required here');
    const done = await simCli(['unlock', '--puk-file', codeFile('puk', PUK), '--new-pin-file', '-'], '2468\n');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe('unlocked with the PUK: the SIM is READY\n');
    expectNoSecrets(done, PUK, '2468');
    sim.modem.reboot();
    await sim.modem.whenPoweredOn();
    expect((await simCli(['unlock', '--pin-file', codeFile('new', '2468')])).code).toBe(0);
  });

  it('change-pin: the current PIN checked, the new one set; a malformed file is a usage error that never echoes it', async () => {
    sim = await startTestModemSim({ profile: 'ublox', pin: PIN });
    expect((await simCli(['unlock', '--pin-file', codeFile('good', PIN)])).code).toBe(0);
    const bad = await simCli([
      'change-pin',
      '--pin-file',
      codeFile('good', PIN),
      '--new-pin-file',
      codeFile('x', '12ab'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--new-pin-file: the file must hold 4 to 8 digits');
    expectNoSecrets(bad, '12ab', PIN);
    const wrongOld = await simCli([
      'change-pin',
      '--pin-file',
      codeFile('w', '1111'),
      '--new-pin-file',
      codeFile('n', '5555'),
    ]);
    expect(wrongOld.code).toBe(1);
    expect(wrongOld.stderr).toMatch(/^m2m-bridge sim: wrong current PIN; PIN tries left: 2/);
    const changed = await simCli([
      'change-pin',
      '--pin-file',
      codeFile('good', PIN),
      '--new-pin-file',
      codeFile('n', '5555'),
    ]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('PIN changed');
    expectNoSecrets(changed, PIN, '5555');
    sim.modem.reboot();
    await sim.modem.whenPoweredOn();
    expect((await simCli(['unlock', '--pin-file', codeFile('n', '5555')])).stdout).toContain('unlocked with the PIN');
  });

  it('names the program holding the port instead of fighting for it; usage errors exit 2', async () => {
    sim = await startTestModemSim({ profile: 'generic', pin: PIN });
    const holder = spawn('flock', ['--nonblock', sim.ptyPath, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await waitFor('flock holding the pty', async () => (await portUse(sim!.ptyPath, process.pid)).holders.length > 1);
      const held = await simCli(['status']);
      expect(held.code).toBe(1);
      expect(held.stderr).toMatch(/is held by (?:flock|sleep) \(pid \d+\).*: stop that program first/);
    } finally {
      holder.kill('SIGKILL');
    }
    expect((await runCli(['sim'])).code).toBe(2);
    expect((await runCli(['sim', 'open-sesame', '--port', sim.path])).stderr).toContain("unknown action 'open-sesame'");
  });
});
