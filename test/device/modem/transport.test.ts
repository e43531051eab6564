import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startModemSim } from '../../../device/modem/index.js';
import { openSerial, type SerialClient, startTestModemSim, type TestModemSim } from '../../helpers/sim.js';
import { SimAtClient } from '../../helpers/sim-at-client.js';

const sims: TestModemSim[] = [];
const clients: SerialClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const sim of sims.splice(0)) await sim.close();
});

async function sim(options = {}) {
  const running = await startTestModemSim(options);
  sims.push(running);
  return running;
}

/** Resolves once `port` is closed, poking it with `nudge` if it is still open; fails after `timeoutMs`. */
function waitForDisconnect(port: SerialClient['port'], nudge: () => void, timeoutMs = 5000): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the port was still open after ${timeoutMs} ms`)), timeoutMs);
    port.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    nudge();
  });
}

async function open(path: string) {
  const client = await openSerial(path);
  clients.push(client);
  return client;
}

describe('pty transport', () => {
  test('the link is a symlink to a pty, and state survives closing and reopening the port', async () => {
    const running = await sim();
    expect(lstatSync(running.path).isSymbolicLink()).toBe(true);
    expect(running.ptyPath).toMatch(/^\/dev\/pts\/\d+$/);
    const first = await open(running.path);
    await first.at.command('ATE0;+CMGF=1');
    await first.close();
    const second = await open(running.path);
    // Echo stays off and text mode stays on: one modem, like a real one across port opens.
    expect(await second.at.command('AT+CMGF?')).toBe('\r\n+CMGF: 1\r\n\r\nOK\r\n');
  });

  test('unplug removes the device path and breaks the open client; replug brings it back at the same path', async () => {
    const running = await sim({ profile: 'quectel' });
    const client = await open(running.path);
    await client.at.command('ATE0');
    await running.unplug();
    expect(existsSync(running.path)).toBe(false);
    // serialport notices the hang-up either on its own (its poller fails) or on the next write (EIO), and closes the
    // port as disconnected. A write made after that would wait for a reopen forever, so do not assert on its callback.
    await waitForDisconnect(client.port, () => client.port.write('AT\r', () => {}));
    expect(client.port.isOpen).toBe(false);
    expect(running.modem.state().power).toBe('off');
    await running.replug();
    expect(lstatSync(running.path).isSymbolicLink()).toBe(true);
    const again = await open(running.path);
    // The modem boots again after re-enumeration.
    await again.at.waitFor(/\+QIND: PB DONE\r\n/);
    expect(await again.at.command('AT')).toBe('AT\r\r\nOK\r\n');
  });

  test('refuses to replace a regular file at the link path, and names a missing directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-sim-link-'));
    try {
      const file = join(dir, 'not-a-link');
      writeFileSync(file, 'keep me');
      await expect(startModemSim({ link: file })).rejects.toThrow(/exists and is not a symlink/);
      expect(readFileSync(file, 'utf8')).toBe('keep me');
      await expect(startModemSim({ link: join(dir, 'missing', 'tty') })).rejects.toThrow(/socat exited/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses a link another running simulator owns, and replaces one left by a simulator that died', async () => {
    const first = await sim({ profile: 'quectel' });
    const ownedBy = readlinkSync(first.path);
    await expect(startModemSim({ link: first.path })).rejects.toThrow(
      new RegExp(`${first.path.replaceAll('/', '\\/')} is in use: it points at ${ownedBy}`),
    );
    // The first simulator keeps its name and still answers through it.
    expect(readlinkSync(first.path)).toBe(ownedBy);
    const client = await open(first.path);
    expect(await client.at.command('AT')).toMatch(/OK\r\n$/);

    const stale = join(first.dir, 'ttyStale');
    symlinkSync('/dev/pts/999999', stale);
    const second = await sim({ link: stale });
    expect(readlinkSync(stale)).toBe(second.ptyPath);
  });

  test('--baud paces output at 10 bits per byte', async () => {
    const running = await sim({ baud: 9600 });
    const client = await open(running.path);
    await client.at.command('ATE0');
    const started = performance.now();
    // 4 x 16 identity lines + OK: about 300 bytes, ~310 ms at 960 bytes/s.
    const answer = await client.at.command('ATI;+CGMI;+CGMM;+CGMR;+CGSN;+CIMI;+CCID;ATI;+CGMI;+CGMM', 5000);
    const elapsed = performance.now() - started;
    const expectedMs = (answer.length / 960) * 1000;
    expect(elapsed).toBeGreaterThanOrEqual(expectedMs * 0.8);
  });
});

describe('TCP and in-process transports', () => {
  test('--tcp serves the same modem to a TCP client', async () => {
    const running = await sim({ tcp: { host: '127.0.0.1', port: 0 } });
    expect(running.tcpAddress?.port).toBeGreaterThan(0);
    const socket = connect(running.tcpAddress!.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const at = new SimAtClient(socket);
    await at.command('ATE0;+CMGF=1');
    socket.destroy();
    // The pty sees the change made over TCP: one modem.
    const client = await open(running.path);
    expect(await client.at.command('AT+CMGF?')).toBe('\r\n+CMGF: 1\r\n\r\nOK\r\n');
  });

  test('unplug drops --tcp clients too; the server keeps listening and serves the modem again after replug', async () => {
    const running = await sim({ tcp: { host: '127.0.0.1', port: 0 } });
    const socket = connect(running.tcpAddress!.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const at = new SimAtClient(socket);
    await at.command('ATE0');
    await running.unplug();
    await Promise.race([
      closed,
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error('TCP client still connected')), 3000)),
    ]);
    expect(running.modem.state().connections).toBe(0);
    await running.replug();
    await running.modem.whenReady();
    const again = connect(running.tcpAddress!.port, '127.0.0.1');
    await new Promise((resolve) => again.once('connect', resolve));
    const next = new SimAtClient(again);
    // A fresh boot: echo is on again.
    expect(await next.command('AT')).toBe('AT\r\r\nOK\r\n');
    again.destroy();
  });

  test('connect() gives an in-process stream; URCs reach every open connection', async () => {
    const running = await sim();
    const a = new SimAtClient(running.modem.connect());
    const b = new SimAtClient(running.modem.connect());
    running.modem.injectSms({ from: '2936', text: 'to all' });
    await a.waitFor(/\+CMTI: "SM",1\r\n/);
    await b.waitFor(/\+CMTI: "SM",1\r\n/);
    expect(running.modem.state().connections).toBe(3);
  });
});
