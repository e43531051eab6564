import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { freePort, MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';

// What `m2m-bridge run` keeps in memory is what it imports, for the whole life of the process: modules are never
// unloaded. These runs trace every import of the real daemon process (test/helpers/module-trace/, a Node loader
// hook writing "pid url" lines) while it receives a command for real, and check that what only other commands or
// disabled features need never enters it.

const register = pathToFileURL(join(import.meta.dirname, '../helpers/module-trace/register.mjs')).href;

let broker: MosquittoBroker;
let sim: TestModemSim;
let app: TestSubscriber;
let dir: string;
const daemons: DaemonProcess[] = [];

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'generic' });
  dir = mkdtempSync(join(tmpdir(), 'm2m lean run '));
  app = await TestSubscriber.connect(broker.url, ['lean/#']);
}, 30_000);

afterAll(async () => {
  for (const daemon of daemons) await daemon.kill();
  await app?.client.endAsync(true);
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the daemon until a command went through it, stops it, and returns the modules each process imported. */
async function traceRun(name: string, extra: Record<string, Record<string, unknown>>) {
  const trace = join(dir, `${name}.modules`);
  const base = `lean/${name}`;
  const config = daemonConfig(
    { serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, `${name}.db`) },
    extra,
  );
  const daemon = DaemonProcess.start(dir, config, { NODE_OPTIONS: `--import ${register}`, M2M_TRACE_MODULES: trace });
  daemons.push(daemon);
  await app.waitFor(`${name} ready`, (m) => m.topic === `${base}/modem/state` && m.text.includes('"ready"'), 20_000);
  const body = `lean ${name} report`;
  sim.modem.injectSms({ from: '2936', text: body });
  await app.waitFor(`${name} command`, (m) => m.topic === `${base}/command/received` && m.text.includes(body), 15_000);
  expect(await daemon.signal('SIGTERM')).toBe(0);
  const pid = String(daemon.child.pid);
  const lines = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  const of = (own: boolean) =>
    lines.filter((line) => line.startsWith(`${pid} `) === own).map((line) => line.slice(line.indexOf(' ') + 1));
  return { daemon: of(true), others: of(false) };
}

const packageOf = (url: string) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
const packages = (urls: string[]) => new Set(urls.map(packageOf).filter((name) => name !== undefined));

describe('what `m2m-bridge run` loads', () => {
  it('with metrics and IP Commands off: no prom-client, no IP Commands code, and neither the YAML parser, zod nor pino-pretty (the config is loaded in a child process)', async () => {
    const { daemon, others } = await traceRun('plain', { metrics: { enabled: false } });
    const loaded = packages(daemon);
    // The trace sees what the daemon needs, so an empty or broken trace cannot pass the checks below.
    expect(loaded).toContain('better-sqlite3');
    expect(loaded).toContain('mqtt');
    expect(loaded).toContain('@serialport/stream');
    expect(loaded).toContain('@serialport/bindings-cpp');
    // `serialport` itself also loads its ten parsers and the port-list code: only `ports` and doctor need it.
    for (const unwanted of ['prom-client', 'zod', 'yaml', 'pino-pretty', 'undici', 'serialport'])
      expect(loaded).not.toContain(unwanted);
    expect(daemon.some((url) => url.endsWith('/src/daemon/metrics.js'))).toBe(false);
    // Node built-ins that would stay loaded for nothing: node:v8 (an IPC channel to the config loader sets one up) and
    // node:fs/promises (for one /proc pass at start). node:dgram is not among them: node:child_process loads it
    // itself, and the config loader and serialport's binding need child_process. The IP Commands room is off here.
    const builtins = new Set(daemon.filter((url) => url.startsWith('builtin:')).map((url) => url.slice(8)));
    expect(builtins).toContain('net');
    for (const unwanted of ['v8', 'fs/promises']) expect(builtins).not.toContain(unwanted);
    expect(daemon.filter((url) => /\/src\/(ip\/|daemon\/(ip-link|data-link)\.js$)/.test(url))).toEqual([]);
    // The config was validated all the same — by the short-lived loader process, which did import them.
    expect(packages(others)).toContain('zod');
    expect(packages(others)).toContain('yaml');
  });

  it('with metrics on: prom-client is loaded, on demand', async () => {
    const { daemon } = await traceRun('metrics', { metrics: { enabled: true, port: await freePort() } });
    expect(packages(daemon)).toContain('prom-client');
  });
});
