import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { silentLogger } from '../../src/util/logger.js';
import { daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// README, "The MQTT contract": the retained `modem/state` goes out "on change, at most once a second". The driver reports after
// every status poll (60 s in production; 250 ms here, which only the in-process daemon can set), changed or not.

let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let daemon: Daemon;
let app: TestSubscriber;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'quectel' });
  dir = mkdtempSync(join(tmpdir(), 'm2m-modem-state-'));
  app = await TestSubscriber.connect(broker.url, ['ms/modem/state']);
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    daemonConfig({ serialPath: sim.path, mqttUrl: broker.url, baseTopic: 'ms', storePath: join(dir, 'journal.db') }),
    { mode: 0o600 },
  );
  daemon = new Daemon({
    loaded: loadConfig({ configPath: file, env: {}, flags: {} }),
    logger: silentLogger(),
    version: 'test',
    modemTiming: { statusIntervalMs: 250 },
  });
  await daemon.start();
});

afterAll(async () => {
  await daemon?.stop();
  await app?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const states = () => app.on('ms/modem/state').map((m) => JSON.parse(m.text));
/** Status polls so far: each one asks for the registration and the signal. */
const polls = () =>
  sim.modem.log().filter((entry) => entry.direction === 'in' && entry.text.startsWith('AT+CSQ')).length;

describe('modem/state from the running daemon', () => {
  it('is published when the modem state changes, not after every status poll that changed nothing', async () => {
    await waitFor('modem ready', () => states().some((s) => s.status === 'ready'), 20_000);
    // Let the first polls after init settle (registration and storage are read then), then count.
    await waitFor('two status polls', () => polls() >= 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const published = states().length;
    const pollsBefore = polls();
    await waitFor('four more status polls', () => polls() >= pollsBefore + 4, 10_000);
    // Nothing is due: a publish held back by the 1 s rate limit would have gone out by now.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(states()).toHaveLength(published);

    // A real change goes out: the network goes away (seen by a +CREG URC or the next poll).
    const last = states().at(-1);
    expect(last).toMatchObject({ status: 'ready', registration: expect.any(String), signal: expect.any(Object) });
    sim.modem.setFaults({ noNetwork: true });
    await waitFor(
      'a changed modem/state',
      () => states().length > published && states().at(-1).registration !== last.registration,
      10_000,
    );
    expect(states().at(-1).updated_at).not.toBe(last.updated_at);
  });
});
