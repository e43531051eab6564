import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { freePort, MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// Metrics are off by default (README, Operations): a daemon with the default config listens on no port at all; turned on, it
// listens on 127.0.0.1 only. Read from the kernel (/proc), not from what the daemon says about itself.

let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'quectel' });
  dir = mkdtempSync(join(tmpdir(), 'm2m-listen-'));
});

afterAll(async () => {
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The TCP sockets `pid` listens on, as `address:port` (IPv4 and IPv6), from its fds and /proc/net/tcp{,6}. */
function listeningSockets(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address rem_address st ... inode (column 9); st 0A is LISTEN.
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9]!)) {
        const [hexAddress, hexPort] = cols[1]!.split(':');
        found.push(`${hexAddress}:${Number.parseInt(hexPort!, 16)}`);
      }
    }
  }
  return found;
}

async function runDaemon(name: string, extra: Record<string, Record<string, unknown>>): Promise<DaemonProcess> {
  const app = await TestSubscriber.connect(broker.url, [`${name}/#`]);
  const daemon = DaemonProcess.start(
    dir,
    daemonConfig(
      { serialPath: sim.path, mqttUrl: broker.url, baseTopic: name, storePath: join(dir, `${name}.db`) },
      extra,
    ),
  );
  try {
    await waitFor('modem ready', () => app.on(`${name}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);
  } finally {
    await app.close();
  }
  return daemon;
}

describe('ports the daemon listens on', () => {
  it('none with the default config (metrics off)', async () => {
    const daemon = await runDaemon('quiet', {});
    try {
      expect(listeningSockets(daemon.child.pid!)).toEqual([]);
    } finally {
      expect(await daemon.signal('SIGTERM')).toBe(0);
    }
  });

  it('only 127.0.0.1:<metrics.port> with metrics enabled', async () => {
    const port = await freePort();
    const daemon = await runDaemon('metered', { metrics: { enabled: true, port } });
    try {
      // 0100007F is 127.0.0.1 as /proc/net/tcp prints it (little-endian hex).
      await waitFor('the metrics listener', () => listeningSockets(daemon.child.pid!).length > 0);
      expect(listeningSockets(daemon.child.pid!)).toEqual([`0100007F:${port}`]);
    } finally {
      expect(await daemon.signal('SIGTERM')).toBe(0);
    }
  });
});
