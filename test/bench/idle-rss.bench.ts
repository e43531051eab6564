import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DaemonProcess } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';
import { DaemonRig } from './daemon-rig.js';
import { nodeFloorRss } from './node-floor.js';
import { readProc } from './proc-stats.js';
import { recordFigures } from './results.js';
import { serviceNodeOptions } from './service-options.js';

/**
 * The daemon's RSS at rest beside Node's floor, both with the NODE_OPTIONS of the shipped unit and measured in the
 * same run: the floor is `node` running an empty event loop, the daemon is `m2m-bridge run` against the simulator,
 * idle after start-up (sweep, identity, first modem/state). Limit: floor + 15 MB. Then a two-modem gateway: two
 * `run --instance` processes, one per simulated modem, on one broker (as `m2m-bridge simulate --modems 2` sets up).
 */
const LIMIT_MB = 15;
/**
 * At rest: start-up work (a sweep, a few status polls) is over, and V8's memory reducer, which runs a GC and gives
 * pages back some seconds after a process stops allocating, has had its turn — as on a gateway that has been up a while.
 */
const SETTLE_MS = Number(process.env.BENCH_IDLE_SETTLE_MS ?? 20_000);
const nodeOptions = process.env.BENCH_DAEMON_NODE_OPTIONS ?? serviceNodeOptions();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Median RSS of `pid` over `count` samples `everyMs` apart (one sample can catch a GC half-way). */
async function restingRss(pid: number, count = 5, everyMs = 400): Promise<{ rss_mb: number; anon_mb: number }> {
  const rss: number[] = [];
  const anon: number[] = [];
  for (let i = 0; i < count; i++) {
    const sample = readProc(pid);
    rss.push(sample.rss_mb);
    anon.push(sample.rss_anon_mb);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { rss_mb: median(rss), anon_mb: median(anon) };
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe('daemon RSS at rest beside Node', () => {
  let floor = { rss_mb: Number.NaN, anon_mb: Number.NaN };
  let single = Number.NaN;

  it('one daemon, idle, against Node with the same flags', async () => {
    floor = await nodeFloorRss(nodeOptions, 3_000);
    const rig = await DaemonRig.start();
    cleanups.push(() => rig.close());
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const idle = await restingRss(rig.pid);
    single = idle.rss_mb;
    const over = idle.rss_mb - floor.rss_mb;
    console.table([
      { process: `node -e (empty loop), NODE_OPTIONS="${nodeOptions}"`, 'rss MB': floor.rss_mb.toFixed(1) },
      { process: 'm2m-bridge run, idle', 'rss MB': idle.rss_mb.toFixed(1), 'anon MB': idle.anon_mb.toFixed(1) },
    ]);
    recordFigures('idle-rss', [
      {
        measure: 'daemon RSS idle (one modem, after start-up)',
        value: `${idle.rss_mb.toFixed(1)} MB`,
        reference: `Node floor ${floor.rss_mb.toFixed(1)} MB (same flags, empty loop); limit floor + ${LIMIT_MB} MB`,
        ratio: `floor + ${over.toFixed(1)} MB`,
      },
    ]);
    expect(idle.rss_mb).toBeGreaterThan(0);
  });

  it('a two-modem gateway: two run processes, one per simulated modem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-bench-gw-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const broker = await MosquittoBroker.start();
    cleanups.push(() => broker.close());
    const names = ['lte1', 'lte2'] as const;
    const sims: TestModemSim[] = [];
    for (const [i, name] of names.entries()) {
      const sim = await startTestModemSim({ profile: i === 0 ? 'generic' : 'quectel' });
      cleanups.push(() => sim.close());
      sims.push(sim);
      mkdirSync(join(dir, name), { recursive: true });
      const config = {
        serial: { path: sim.path },
        mqtt: { url: broker.url },
        store: { path: join(dir, name, 'j.db') },
      };
      writeFileSync(join(dir, `${name}.yaml`), stringify({ ...config, log: { level: 'warn' } }), { mode: 0o600 });
    }
    const app = await mqtt.connectAsync(broker.url, { clientId: 'bench-gw-app' });
    cleanups.push(() => app.endAsync(true).catch(() => {}));
    const ready = new Set<string>();
    app.on('message', (topic, payload) => {
      if (payload.toString('utf8').includes('"status":"ready"')) ready.add(topic.split('/')[1] ?? '');
    });
    await app.subscribeAsync('m2m/+/modem/state', { qos: 1 });
    const daemons = names.map((name) =>
      DaemonProcess.run(['--instance', name], {
        M2M_BRIDGE_CONFIG_DIR: dir,
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      }),
    );
    for (const daemon of daemons) {
      cleanups.push(async () => {
        await daemon.signal('SIGTERM', 15_000).catch(() => daemon.kill());
      });
    }
    await waitFor(
      'both instances ready',
      () => names.every((name) => ready.has(name)) || daemons.some((d) => d.child.exitCode !== null),
      30_000,
    );
    for (const daemon of daemons)
      if (daemon.child.exitCode !== null) throw new Error(`daemon exited: ${daemon.output}`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const each = [];
    for (const daemon of daemons) each.push(await restingRss(daemon.child.pid ?? 0));
    const total = each.reduce((sum, r) => sum + r.rss_mb, 0);
    console.table(
      each.map((r, i) => ({ instance: names[i], 'rss MB': r.rss_mb.toFixed(1), 'anon MB': r.anon_mb.toFixed(1) })),
    );
    recordFigures('idle-rss', [
      {
        measure: 'two-modem gateway: 2 × m2m-bridge run --instance, idle',
        value: `${total.toFixed(1)} MB (${each.map((r) => r.rss_mb.toFixed(1)).join(' + ')})`,
        reference: `one instance ${single.toFixed(1)} MB; Node floor ${floor.rss_mb.toFixed(1)} MB`,
        ratio: `${(total / single).toFixed(2)}× one instance; each floor + ${each.map((r) => (r.rss_mb - floor.rss_mb).toFixed(1)).join(' / ')} MB`,
      },
    ]);
    expect(total).toBeGreaterThan(0);
  });
});
