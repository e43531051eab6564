import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EXIT } from '../../src/daemon/exit-codes.js';
import { SmallDisk } from '../faults/tmpfs.js';
import { runCli } from '../helpers/cli.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { freePort, MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

// Two modems on one gateway, one daemon each, one Mosquitto: the set-up of a dual-modem router. Everything runs for
// real: `m2m-bridge run --instance NAME` processes (config NAME.yaml in M2M_BRIDGE_CONFIG_DIR), simulated modems of
// two vendors with different SIMs on pseudo-terminals, the journals on disk. The scenarios share the rig and run in
// order; each leaves both daemons running and ready.

const ICCID = { lte1: '8901260000000000011', lte2: '8901260000000000022' } as const;
const PROFILE = { lte1: 'quectel', lte2: 'simcom' } as const;
type Name = keyof typeof ICCID;

/** The config directory both instances share (M2M_BRIDGE_CONFIG_DIR), and their journals' parent. */
let dir: string;
let broker: MosquittoBroker;
let publisher: mqtt.MqttClient;
/** lte2 serves /metrics here: its series carry instance_name. */
let metricsPort: number;
/** Each instance's modem, daemon and local program (on m2m/NAME/#; lte1's also on the unnamed m2m/command/#). */
const rigs = {} as Record<Name, ProcessRig>;
const env = () => ({ M2M_BRIDGE_CONFIG_DIR: dir });

function startInstance(name: Name): Promise<ProcessRig> {
  mkdirSync(join(dir, name), { recursive: true });
  return startProcessRig({
    base: `m2m/${name}`,
    broker,
    sim: { profile: PROFILE[name], iccid: ICCID[name] },
    instance: { name, configDir: dir },
    storePath: join(dir, name, 'journal.db'),
    config: {
      commands: { send_retry_initial_seconds: 1 },
      modem: { sweep_interval_seconds: 5 },
      ...(name === 'lte2' ? { metrics: { enabled: true, port: metricsPort } } : {}),
    },
    alsoSubscribe: name === 'lte1' ? ['m2m/command/#'] : [],
    stopWith: 'SIGTERM',
  });
}

const received = (name: Name) =>
  rigs[name].app.messages.filter((m) => m.topic === `m2m/${name}/command/received`).map((m) => JSON.parse(m.text));
const statuses = (name: Name) =>
  rigs[name].app.messages.filter((m) => m.topic === `m2m/${name}/command/status`).map((m) => JSON.parse(m.text));
const sentTexts = (name: Name) => rigs[name].sim.modem.sent().map((sms) => sms.text);
const readyCount = (name: Name) =>
  rigs[name].app.messages.filter((m) => m.topic === `m2m/${name}/modem/state` && m.text.includes('"ready"')).length;

async function waitReady(name: Name, after: number): Promise<void> {
  await waitFor(`${name} ready`, () => readyCount(name) > after || undefined, 20_000);
}

async function commandArrives(name: Name, body: string): Promise<Record<string, unknown>> {
  rigs[name].sim.modem.injectSms({ from: '2936', text: body });
  return waitFor(
    `"${body}" on m2m/${name}/command/received`,
    () => received(name).find((c) => c.body === body),
    15_000,
  );
}

async function replyGoesOut(name: Name, transaction: string, body: string): Promise<Record<string, unknown>> {
  await publisher.publishAsync(`m2m/${name}/command/send`, JSON.stringify({ body, transaction }), { qos: 1 });
  await waitFor(`"${body}" sent by ${name}'s modem`, () => sentTexts(name).includes(body) || undefined, 15_000);
  return waitFor(
    `${transaction} sent`,
    () => statuses(name).find((s) => s.transaction === transaction && s.status === 'sent'),
    15_000,
  );
}

/** The other instance keeps working while one is disrupted: three commands in and one reply out, none lost. */
async function keepsWorking(name: Name, label: string): Promise<void> {
  for (let i = 0; i < 3; i++) await commandArrives(name, `${label} ${i}`);
  await replyGoesOut(name, `${label}-reply`, `${label} reply`);
  expect(received(name).filter((c) => String(c.body).startsWith(label))).toHaveLength(3);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'm2m several modems '));
  broker = await MosquittoBroker.start();
  metricsPort = await freePort();
  [rigs.lte1, rigs.lte2] = await Promise.all([startInstance('lte1'), startInstance('lte2')]);
  publisher = await mqtt.connectAsync(broker.url);
  await Promise.all([waitReady('lte1', 0), waitReady('lte2', 0)]);
}, 60_000);

afterAll(async () => {
  await publisher?.endAsync();
  const closed = await Promise.allSettled(Object.values(rigs).map((rig) => rig.close()));
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const result of closed) if (result.status === 'rejected') throw result.reason;
});

describe('two modems, two daemons, one broker', () => {
  it('publishes each modem’s Commands only under its own prefix, with its instance name and ICCID', async () => {
    const one = await commandArrives('lte1', 'open valve 1');
    const two = await commandArrives('lte2', 'open valve 2');
    expect(one).toMatchObject({ instance: 'lte1', iccid: ICCID.lte1 });
    expect(two).toMatchObject({ instance: 'lte2', iccid: ICCID.lte2 });
    expect(received('lte1').map((c) => c.body)).not.toContain('open valve 2');
    expect(received('lte2').map((c) => c.body)).not.toContain('open valve 1');
    // Nothing under the unnamed prefix, and retained info per instance with distinct client ids.
    expect(rigs.lte1.app.messages.some((m) => m.topic === 'm2m/command/received')).toBe(false);
    const info = (name: Name) =>
      JSON.parse(rigs[name].app.messages.filter((m) => m.topic === `m2m/${name}/bridge/info`).at(-1)!.text);
    expect(info('lte1')).toMatchObject({ instance: 'lte1', modem: { iccid: ICCID.lte1 } });
    expect(info('lte2')).toMatchObject({ instance: 'lte2', modem: { iccid: ICCID.lte2 } });
    expect(info('lte1').client_id).not.toBe(info('lte2').client_id);
    // Prometheus: every series of lte2 names the instance.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^m2m_bridge_mqtt_connected\{instance_name="lte2"\} 1$/m);
  });

  it('sends a reply only through the modem of the instance it was published to', async () => {
    const status = await replyGoesOut('lte2', 'r-2', 'valve 2 open');
    expect(status).toMatchObject({ instance: 'lte2', iccid: ICCID.lte2 });
    expect(sentTexts('lte1')).not.toContain('valve 2 open');
    await replyGoesOut('lte1', 'r-1', 'valve 1 open');
    expect(sentTexts('lte2')).not.toContain('valve 1 open');
    expect(statuses('lte1').some((s) => s.transaction === 'r-2')).toBe(false);
  });

  it('history --instance and status --instance show only that instance', async () => {
    const history = await runCli(['history', '--instance', 'lte1', '--json'], { env: env() });
    expect(history.code, history.stderr).toBe(0);
    const rows = history.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.body)).toEqual(expect.arrayContaining(['open valve 1', 'valve 1 open']));
    expect(rows.map((r) => r.body)).not.toContain('open valve 2');
    expect(rows.map((r) => r.body)).not.toContain('valve 2 open');

    const status = await runCli(['status', '--instance', 'lte2', '--json'], { env: env() });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      daemon: { instance: 'lte2' },
      modem: { identity: { iccid: ICCID.lte2 } },
    });
  });

  it('refuses a second daemon on the same modem, journal or base topic with exit 73 and one line', async () => {
    const other = (name: string, config: Record<string, Record<string, unknown>>) => {
      writeFileSync(join(dir, `${name}.yaml`), stringify(config), { mode: 0o600 });
      return runCli(['run', '--instance', name], { env: env(), timeoutMs: 20_000 });
    };
    // The same modem by another path to it (the pty itself instead of the symlink), with its own journal and topic.
    const sameDevice = await other('dup-device', {
      serial: { path: rigs.lte1.sim.ptyPath },
      mqtt: { url: broker.url },
      store: { path: join(dir, 'dup-device.db') },
    });
    expect(sameDevice.code).toBe(EXIT.conflict);
    expect(sameDevice.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `serial device ${rigs.lte1.sim.ptyPath} is in use by m2m-bridge instance lte1 \\(pid \\d+\\); .*serial\\.path$`,
        ),
      ),
    ]);

    const sameJournal = await other('dup-journal', {
      serial: { path: join(dir, 'no-such-modem') },
      mqtt: { url: broker.url },
      store: { path: rigs.lte2.storePath },
    });
    expect(sameJournal.code).toBe(EXIT.conflict);
    expect(sameJournal.stderr).toMatch(
      /journal .*lte2.*journal\.db is in use by m2m-bridge instance lte2 \(pid \d+, base topic m2m\/lte2\); give this instance its own store\.path/,
    );

    const sameTopic = await other('dup-topic', {
      serial: { path: join(dir, 'no-such-modem') },
      mqtt: { url: broker.url, base_topic: 'm2m/lte1' },
      store: { path: join(dir, 'dup-topic.db') },
    });
    expect(sameTopic.code).toBe(EXIT.conflict);
    expect(sameTopic.stderr).toMatch(
      /base topic m2m\/lte1 on mqtt:\/\/127\.0\.0\.1:\d+ is in use by m2m-bridge instance lte1 \(client id m2m-bridge-[^)]*-lte1, pid \d+, on .+\), online; give this instance its own mqtt\.base_topic/,
    );
    // The refused daemons touched nothing: the holders are still online and working.
    const state = rigs.lte1.app.messages.filter((m) => m.topic === 'm2m/lte1/bridge/state').at(-1);
    expect(JSON.parse(state!.text)).toEqual({ state: 'online' });
    await keepsWorking('lte2', 'after refusals');
    await keepsWorking('lte1', 'lte1 after refusals');
  });

  it('SIGKILL of one instance: the other keeps receiving and sending; the killed one takes its journal back', async () => {
    const before = readyCount('lte1');
    expect(await rigs.lte1.daemon.signal('SIGKILL')).toBeNull();
    rigs.lte1.sim.modem.injectSms({ from: '2936', text: 'while lte1 was dead' });
    await keepsWorking('lte2', 'during kill');
    // Its journal's holder row names a dead process now: the restart claims it again instead of refusing.
    rigs.lte1.restart();
    await waitReady('lte1', before);
    await waitFor('the command left on the SIM', () => received('lte1').find((c) => c.body === 'while lte1 was dead'));
  });

  it('unplug and reboot of one modem: the other instance keeps receiving and sending', async () => {
    const before = readyCount('lte1');
    await rigs.lte1.sim.unplug();
    await keepsWorking('lte2', 'during unplug');
    await rigs.lte1.sim.replug();
    await waitReady('lte1', before);
    rigs.lte1.sim.modem.reboot();
    await keepsWorking('lte2', 'during reboot');
    // The rebooted modem is read again (its ready state may coalesce on modem/state, so ask for a command instead).
    await commandArrives('lte1', 'lte1 back');
  });

  it('a full journal disk under one instance: the other keeps receiving and sending (needs root for tmpfs)', async () => {
    await rigs.lte1.daemon.signal('SIGTERM');
    const disk = SmallDisk.mount(2 * 1024 * 1024);
    try {
      const before = readyCount('lte1');
      rigs.lte1.restart({ storePath: join(disk.dir, 'journal.db') });
      await waitReady('lte1', before);
      disk.fill();
      // SQLite may still reuse space its WAL holds: commands keep arriving until a commit fails.
      const alarmed = () =>
        rigs.lte1.app.messages.some(
          (m) => m.topic === 'm2m/lte1/bridge/state' && m.text.includes('journal_write_failed'),
        );
      let injected = 0;
      for (; injected < 60 && !alarmed(); injected++) {
        rigs.lte1.sim.modem.injectSms({ from: '2936', text: `while full ${injected}` });
        await new Promise((resolve) => setTimeout(resolve, 100)); // the pace of the traffic, not a wait for an outcome
      }
      await waitFor('the journal alarm on lte1', () => alarmed() || undefined, 15_000);
      await keepsWorking('lte2', 'during disk full');
      disk.free();
      // Every command lte1 could not journal stayed on its SIM and is published once space is back.
      await waitFor(
        'every command of the full disk',
        () => received('lte1').filter((c) => String(c.body).startsWith('while full')).length >= injected || undefined,
        30_000,
      );
    } finally {
      await rigs.lte1.daemon.signal('SIGTERM');
      disk.unmount();
    }
    const before = readyCount('lte1');
    rigs.lte1.restart();
    await waitReady('lte1', before);
  });
});
