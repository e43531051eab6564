import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brokerForThisFile } from '../helpers/broker.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { freePort } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

// Metrics are off by default (README, Operations): a daemon with the default config listens on no port at all; turned on, it
// listens on 127.0.0.1 only. Read from the kernel (/proc), not from what the daemon says about itself.

const broker = brokerForThisFile();

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

/** A daemon with these config sections, once its modem is ready. */
function runDaemon(name: string, extra: Record<string, Record<string, unknown>>): Promise<ProcessRig> {
  return startProcessRig({ base: name, broker, config: extra, waitReady: true, dirPrefix: 'm2m-listen-' });
}

describe('ports the daemon listens on', () => {
  it('none with the default config (metrics off)', async () => {
    const rig = await runDaemon('quiet', {});
    try {
      expect(listeningSockets(rig.daemon.child.pid!)).toEqual([]);
      expect(await rig.daemon.signal('SIGTERM')).toBe(0);
    } finally {
      await rig.close();
    }
  });

  it('only 127.0.0.1:<metrics.port> with metrics enabled', async () => {
    const port = await freePort();
    const rig = await runDaemon('metered', { metrics: { enabled: true, port } });
    try {
      const pid = rig.daemon.child.pid!;
      // 0100007F is 127.0.0.1 as /proc/net/tcp prints it (little-endian hex).
      await waitFor('the metrics listener', () => listeningSockets(pid).length > 0);
      expect(listeningSockets(pid)).toEqual([`0100007F:${port}`]);
      expect(await rig.daemon.signal('SIGTERM')).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
