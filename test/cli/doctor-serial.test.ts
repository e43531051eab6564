import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  copyFileSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { accessResult, lookUpServiceUser, modeAllowsReadWrite } from '../../src/cli/doctor/serial-access.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { daemonConfig } from '../helpers/daemon.js';
import { readableCopy } from '../helpers/readable-copy.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

interface Check {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  hint: string;
}

// Nothing listens on port 1: the MQTT check fails fast and the daemon counts as stopped, so doctor opens the port.
const NO_BROKER = 'mqtt://127.0.0.1:1';
const NOBODY = 65534;

let dir = '';
let sim: TestModemSim | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  await sim?.close();
  sim = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function configFor(serialPath: string): string {
  dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-serial-'));
  const file = join(dir, 'config.yaml');
  const yaml = daemonConfig({ serialPath, mqttUrl: NO_BROKER, baseTopic: 'doc', storePath: join(dir, 'journal.db') });
  writeFileSync(file, yaml, { mode: 0o600 });
  return file;
}

function parse(stdout: string): (id: string) => Check | undefined {
  const checks = stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Check);
  return (id) => checks.find((check) => check.id === id);
}

/** A long-lived process, named `name` in /proc (a copy of sleep), optionally with `device` open as its stdin. */
async function startProcess(name: string, device?: string): Promise<ChildProcess> {
  const binary = join(dir, name);
  copyFileSync('/bin/sleep', binary);
  chmodSync(binary, 0o755);
  const fd = device ? openSync(device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK) : undefined;
  const child = spawn(binary, ['300'], { stdio: [fd ?? 'ignore', 'ignore', 'ignore'] });
  children.push(child);
  if (fd !== undefined) closeSync(fd);
  await waitFor(`${name} running`, () => child.pid !== undefined);
  return child;
}

describe('doctor: the serial device and who else has it', () => {
  it('fails a missing device in plain text: FAIL line, the hint under it, and the summary line', async () => {
    const file = configFor('/dev/ttyUSB-not-there');
    const result = await runCli(['doctor', '--config', file], { timeoutMs: 40_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'FAIL  serial device: /dev/ttyUSB-not-there does not exist\n' +
        '      → is the modem plugged in? list ports with `m2m-bridge ports` and set serial.path',
    );
    expect(result.stdout).toMatch(/^PASS {2}config: .*config\.yaml is valid$/m);
    expect(result.stdout).toMatch(/^FAIL {2}MQTT broker: mqtt:\/\/127\.0\.0\.1:1: connection refused\n {6}→ /m);
    expect(result.stdout).toMatch(/^WARN {2}daemon: not answering over MQTT\n {6}→ start it/m);
    // No JSON in the human format, and the last line counts what went wrong.
    expect(result.stdout).not.toMatch(/^\{/m);
    expect(result.stdout).toMatch(/\n\n\d+ failed, \d+ warnings, \d+ passed or skipped\n$/);
  });

  it('passes a pseudo-terminal held only by its creator, and fails it when another program has it open', async () => {
    sim = await startTestModemSim({ profile: 'quectel' });
    const file = configFor(sim.path);
    const before = parse((await runCli(['doctor', '--config', file, '--json'], { timeoutMs: 40_000 })).stdout);
    expect(before('serial.holders')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('a pseudo-terminal created by socat'),
    });

    const intruder = await startProcess('minicom', sim.path);
    const after = parse((await runCli(['doctor', '--config', file, '--json'], { timeoutMs: 40_000 })).stdout);
    expect(after('serial.holders')).toMatchObject({
      status: 'fail',
      detail: `open in minicom (pid ${intruder.pid})`,
      hint: expect.stringContaining('stop that program'),
    });
  });

  it('warns when ModemManager runs, with the udev rules as the fix', async () => {
    sim = await startTestModemSim({ profile: 'quectel' });
    const file = configFor(sim.path);
    const without = parse((await runCli(['doctor', '--config', file, '--json'], { timeoutMs: 40_000 })).stdout);
    expect(without('modemmanager')).toBeUndefined();
    // doctor finds ModemManager in the process list (/proc/<pid>/comm), so a process of that name is what it sees.
    await startProcess('ModemManager');
    const report = parse((await runCli(['doctor', '--config', file, '--json'], { timeoutMs: 40_000 })).stdout);
    expect(report('modemmanager')).toMatchObject({
      status: 'warn',
      hint: expect.stringContaining('ID_MM_DEVICE_IGNORE=1'),
    });
  });

  it('fails read/write access for a user who may not open the device (mode 000), naming dialout', async () => {
    sim = await startTestModemSim({ profile: 'quectel' });
    // The pty itself (the simulator's symlink sits in a directory only its owner may enter).
    const pty = await realpath(sim.path);
    const file = configFor(pty);
    chmodSync(pty, 0o000);
    // Root opens any device whatever its mode, so as root the check runs as nobody (spawn's uid/gid need root).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chownSync(dir, NOBODY, NOBODY);
      chownSync(file, NOBODY, NOBODY);
    }
    // nobody may not enter the checkout (a 0700 home directory): it runs a copy of the build it can read.
    const build = asRoot ? readableCopy() : undefined;
    onTestFinished(() => build?.remove());
    const binary = build ? build.path('dist/cli.js') : cliPath;
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [binary, 'doctor', '--config', file, '--json'], {
        stdio: ['ignore', 'pipe', 'inherit'],
        ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    const check = parse(result.stdout);
    expect(result.code).toBe(1);
    expect(check('serial.device')?.status).toBe('pass');
    expect(check('serial.access')).toMatchObject({
      status: 'fail',
      detail: `this user cannot read and write ${pty} (mode 0000)`,
      hint: expect.stringContaining('dialout'),
    });
  });
});

describe('doctor as root: access(2) always succeeds, so the mode is judged for the systemd unit user', () => {
  const user = { name: 'm2m-bridge', uid: 998, gids: [998, 20] };
  const device = (mode: number, uid = 0, gid = 20) => ({ mode: 0o20000 | mode, uid, gid });

  it('reads owner, then group, then other bits, like the kernel for a non-root user', () => {
    expect(modeAllowsReadWrite(device(0o660), user)).toBe(true);
    expect(modeAllowsReadWrite(device(0o600), user)).toBe(false);
    expect(modeAllowsReadWrite(device(0o600, 998), user)).toBe(true);
    expect(modeAllowsReadWrite(device(0o606, 0, 5), user)).toBe(true);
    expect(modeAllowsReadWrite(device(0o660, 0, 5), user)).toBe(false);
    expect(modeAllowsReadWrite(device(0o640), user)).toBe(false);
  });

  it('warns when root could open it but the daemon user could not, and never FAILs or passes blindly', () => {
    const asRoot = { root: true, canReadWrite: true };
    expect(accessResult('/dev/ttyUSB2', { ...asRoot, device: device(0o000), serviceUser: user })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining("the daemon's user m2m-bridge cannot (mode 0000"),
      hint: expect.stringContaining('udev'),
    });
    expect(accessResult('/dev/ttyUSB2', { ...asRoot, device: device(0o660), serviceUser: user }).status).toBe('pass');
    expect(accessResult('/dev/ttyUSB2', { ...asRoot, device: device(0o000), serviceUser: null })).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining(
        'root can open /dev/ttyUSB2 whatever its mode (0000); there is no m2m-bridge user',
      ),
    });
  });

  it('finds the unit user with its own group and dialout (SupplementaryGroups=dialout)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-etc-'));
    writeFileSync(
      join(dir, 'passwd'),
      'root:x:0:0::/root:/bin/sh\nm2m-bridge:x:998:997::/var/lib/m2m-bridge:/usr/sbin/nologin\n',
    );
    writeFileSync(join(dir, 'group'), 'root:x:0:\ndialout:x:20:\nm2m-bridge:x:997:\n');
    expect(await lookUpServiceUser(dir)).toEqual({ name: 'm2m-bridge', uid: 998, gids: [997, 20] });
    writeFileSync(join(dir, 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    expect(await lookUpServiceUser(dir)).toBeNull();
  });
});
