import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bridgeProcess, describeBridge, processStart } from '../../src/daemon/process-info.js';

// A /proc tree on disk with the files the kernel would show (NUL-separated cmdline and environ).
const proc = mkdtempSync(join(tmpdir(), 'm2m-proc-'));
afterAll(() => rmSync(proc, { recursive: true, force: true }));

function fakeProcess(pid: number, args: string[], env: string[] = [], stat?: string): void {
  mkdirSync(join(proc, String(pid)));
  writeFileSync(join(proc, String(pid), 'cmdline'), `${args.join('\0')}\0`);
  writeFileSync(join(proc, String(pid), 'environ'), `${env.join('\0')}\0`);
  if (stat) writeFileSync(join(proc, String(pid), 'stat'), stat);
}

fakeProcess(10, ['node', '/usr/bin/m2m-bridge', 'run', '--instance', 'lte1']);
fakeProcess(11, ['/usr/bin/node', '/opt/m2m/dist/cli.js', 'run', '--config=/etc/m2m-bridge/config.yaml']);
fakeProcess(12, ['node', '/usr/bin/m2m-bridge', 'run'], ['HOME=/x', 'M2M_BRIDGE_INSTANCE_NAME=backup']);
fakeProcess(13, ['node', '/usr/bin/m2m-bridge', 'at', '--port', '/dev/ttyUSB2']);
fakeProcess(14, ['minicom', '-D', '/dev/ttyUSB2']);
fakeProcess(15, ['x'], [], '15 (a (weird) name) S 1 15 15 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 98765 0 0');

describe('process-info: naming the other daemon in a conflict', () => {
  it('recognises `m2m-bridge run` by its script, with the instance from --instance or the environment', () => {
    expect(bridgeProcess(10, proc)).toEqual({ pid: 10, instance: 'lte1', config: null });
    expect(bridgeProcess(11, proc)).toEqual({ pid: 11, instance: null, config: '/etc/m2m-bridge/config.yaml' });
    expect(bridgeProcess(12, proc)).toMatchObject({ instance: 'backup' });
    expect(describeBridge(bridgeProcess(10, proc)!)).toBe('m2m-bridge instance lte1 (pid 10)');
    expect(describeBridge(bridgeProcess(11, proc)!)).toBe('m2m-bridge (pid 11, --config /etc/m2m-bridge/config.yaml)');
  });

  it('is not fooled by the technician console, other programs or a process that is gone', () => {
    expect(bridgeProcess(13, proc)).toBeNull();
    expect(bridgeProcess(14, proc)).toBeNull();
    expect(bridgeProcess(99, proc)).toBeNull();
  });

  it('reads the start time (stat field 22) after the last parenthesis of the command name', () => {
    expect(processStart(15, proc)).toBe('98765');
    expect(processStart(99, proc)).toBeNull();
  });
});
