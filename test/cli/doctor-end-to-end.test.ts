import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// `m2m-bridge doctor --end-to-end` with the parts of `m2m-bridge simulate`: the API emulator delivering Commands to a
// simulated modem on a pty, a real Mosquitto, and `m2m-bridge run` as a process.

let broker: MosquittoBroker;
let sim: TestModemSim;
let api: WirelessEmulator;
let dir: string;
let configPath: string;
let daemon: DaemonProcess;
let app: TestSubscriber;
let wireless: Record<string, unknown>;
const base = 'gw-e2e';

function startDaemon(commands: Record<string, unknown> = {}): DaemonProcess {
  return DaemonProcess.start(
    dir,
    daemonConfig(
      { serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') },
      { wireless, commands },
    ),
  );
}

const modemReady = (after = 0) =>
  waitFor(
    'modem ready',
    () =>
      app
        .on(`${base}/modem/state`)
        .slice(after)
        .some((m) => m.text.includes('"ready"')),
    20_000,
  );

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'quectel' });
  api = await startWirelessEmulator({ sims: [{ modem: sim.modem, uniqueName: 'gateway-1' }] });
  dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-e2e-'));
  writeFileSync(join(dir, 'token'), api.authToken, { mode: 0o600 });
  wireless = {
    base_url: api.wirelessBaseUrl,
    super_sim_base_url: api.superSimBaseUrl,
    account_sid: api.accountSid,
    auth_token_file: join(dir, 'token'),
  };
  app = await TestSubscriber.connect(broker.url, [`${base}/#`]);
  daemon = startDaemon();
  configPath = join(dir, 'config.yaml');
  await modemReady();
}, 40_000);

afterAll(async () => {
  await daemon?.kill();
  await app?.close();
  await api?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const doctor = (...args: string[]) =>
  runCli(['doctor', '--config', configPath, '--json', ...args], { timeoutMs: 60_000 });
const check = (stdout: string, id: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; status: string; detail: string; hint: string })
    .find((result) => result.id === id);
const commandsSent = () => [...api.network.listCommands('wireless', { direction: 'to_sim' })].length;

describe('m2m-bridge doctor --end-to-end', () => {
  it('never sends anything without the flag', async () => {
    const before = commandsSent();
    const result = await doctor();
    expect(check(result.stdout, 'e2e')).toBeUndefined();
    expect(check(result.stdout, 'api.sim')?.status).toBe('pass');
    expect(commandsSent()).toBe(before);
  }, 60_000);

  it('PASSes with the time taken when a Command sent through the API arrives on command/received', async () => {
    const before = commandsSent();
    const result = await doctor('--end-to-end', '--end-to-end-timeout', '30');
    const e2e = check(result.stdout, 'e2e');
    expect(e2e, result.stdout + result.stderr).toMatchObject({ status: 'pass' });
    expect(e2e?.detail).toMatch(
      new RegExp(
        `^DC[0-9a-f]{32} "m2m-bridge doctor [0-9a-f]{8}" arrived on ${base}/command/received after \\d+\\.\\d s$`,
      ),
    );
    expect(result.code).toBe(0);
    expect(commandsSent()).toBe(before + 1);
    // The local program saw the same Command the API created.
    const body = /"(m2m-bridge doctor [0-9a-f]{8})"/.exec(e2e!.detail)![1];
    expect(app.on(`${base}/command/received`).some((m) => JSON.parse(m.text).body === body)).toBe(true);
  }, 60_000);

  it('FAILs with the API error when the API refuses the Command (a suspended SIM)', async () => {
    const sims = () =>
      fetch(`${api.wirelessBaseUrl}/Sims/gateway-1`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${api.accountSid}:${api.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ Status: status }),
      });
    let status = 'suspended';
    expect((await sims()).status).toBe(200);
    try {
      const result = await doctor('--end-to-end', '--end-to-end-timeout', '30');
      expect(check(result.stdout, 'e2e')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/^the API refused the Command: HTTP 400, code 33104: /),
      });
    } finally {
      status = 'active';
      expect((await sims()).status).toBe(200);
    }
  }, 60_000);

  it('FAILs saying the SIM got it but the daemon did not publish it (a sender outside the allow-list)', async () => {
    expect(await daemon.signal('SIGTERM')).toBe(0);
    const seen = app.on(`${base}/modem/state`).length;
    daemon = startDaemon({ allowed_senders: ['+15550100'] });
    await modemReady(seen);
    const result = await doctor('--end-to-end', '--end-to-end-timeout', '5');
    expect(check(result.stdout, 'e2e')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        new RegExp(
          `^DC[0-9a-f]{32} did not arrive on ${base}/command/received within 5 s; the API says it is delivered: the SIM got it, but the daemon did not publish it$`,
        ),
      ),
      hint: expect.stringContaining('commands.allowed_senders'),
    });
    // The daemon rejected it as a sender it does not know, as sms/rejected says.
    expect(app.on(`${base}/sms/rejected`).some((m) => m.text.includes('m2m-bridge doctor'))).toBe(true);
  }, 60_000);

  it('FAILs naming the daemon, and sends nothing, once the daemon is stopped', async () => {
    expect(await daemon.signal('SIGTERM')).toBe(0);
    const before = commandsSent();
    const result = await doctor('--end-to-end', '--end-to-end-timeout', '30');
    expect(check(result.stdout, 'e2e')).toMatchObject({
      status: 'fail',
      detail: 'the daemon is not running (no answer to health_check over MQTT): nothing was sent',
      hint: expect.stringContaining('systemctl start m2m-bridge'),
    });
    expect(result.code).toBe(1);
    expect(commandsSent()).toBe(before);
  }, 60_000);

  it('refuses --end-to-end-timeout without --end-to-end', async () => {
    const result = await doctor('--end-to-end-timeout', '5');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--end-to-end-timeout needs --end-to-end/);
  });
});
