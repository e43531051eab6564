import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNodeOptions } from '../bench/service-options.js';
import { cliPath } from '../helpers/cli.js';
import { daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// systemd/m2m-bridge.service sets MemoryDenyWriteExecute=yes, which kills a node that JIT-compiles; the unit's
// NODE_OPTIONS (--jitless) are what make it safe. deny-write-execute.c installs the same seccomp filter systemd does,
// so this runs the real daemon under it, with the unit's own NODE_OPTIONS, through a full command and reply.

const source = fileURLToPath(new URL('./deny-write-execute.c', import.meta.url));
let dir: string;
let wrapper: string;
let broker: MosquittoBroker | undefined;
let sim: TestModemSim | undefined;
let daemon: ChildProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-mdwe-'));
  wrapper = join(dir, 'deny-write-execute');
  const cc = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', wrapper, source], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0)
    throw new Error(`cannot compile ${source} (a C compiler is needed: apt-get install gcc): ${cc.error ?? cc.stderr}`);
});

afterAll(async () => {
  if (daemon && daemon.exitCode === null) daemon.kill('SIGKILL');
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('MemoryDenyWriteExecute=yes in the unit', () => {
  it('the unit sets --jitless in NODE_OPTIONS', () => {
    expect(serviceNodeOptions().split(/\s+/)).toContain('--jitless');
  });

  it('the filter is real: node with its JIT dies under it', () => {
    const hot = spawnSync(wrapper, [process.execPath, '-e', 'let s = 0; for (let i = 0; i < 1e7; i++) s += i;'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(hot.status === 0 && hot.signal === null, hot.stderr.slice(0, 400)).toBe(false);
  });

  it('the daemon with the unit NODE_OPTIONS runs under it: a command in, a reply out, a clean stop', async () => {
    broker = await MosquittoBroker.start();
    sim = await startTestModemSim({ profile: 'quectel' });
    const app = await TestSubscriber.connect(broker.url, ['mdwe/#']);
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      daemonConfig({ serialPath: sim.path, mqttUrl: broker.url, baseTopic: 'mdwe', storePath: join(dir, 'j.db') }),
      { mode: 0o600 },
    );
    let stderr = '';
    const child = spawn(wrapper, [process.execPath, cliPath, 'run', '--config', config], {
      env: { ...process.env, NODE_OPTIONS: serviceNodeOptions() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    daemon = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('modem ready', () => app.on('mdwe/modem/state').some((m) => m.text.includes('"ready"')), 20_000);
      sim.modem.injectSms({ from: '2936', text: 'under seccomp' });
      await app.waitFor('the command', (m) => m.topic === 'mdwe/command/received' && m.text.includes('under seccomp'));
      const publisher = await mqtt.connectAsync(broker.url);
      await publisher.publishAsync(
        'mdwe/command/send',
        JSON.stringify({ body: 'ok from jitless', transaction: 't1' }),
        {
          qos: 1,
        },
      );
      await publisher.endAsync();
      await waitFor('the reply at the network', () => sim!.modem.sent().some((s) => s.text === 'ok from jitless'));
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      expect(stderr).not.toMatch(/Fatal|Check failed/);
    } finally {
      await app.close();
    }
  });
});
