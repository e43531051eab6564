import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

interface Check {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  hint: string;
}

const broker = brokerForThisFile();
let sim: TestModemSim;
let api: WirelessEmulator;
let dir: string;
let n = 0;
let base = '';

afterEach(async () => {
  await api?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setUp(options: Parameters<typeof startTestModemSim>[0] = {}) {
  base = `doc${++n}`;
  dir = mkdtempSync(join(tmpdir(), 'm2m-doctor-'));
  sim = await startTestModemSim({ profile: 'quectel', ...options });
  api = await startWirelessEmulator({ sims: [{ modem: sim.modem, uniqueName: 'gw-1' }] });
  writeFileSync(join(dir, 'token'), api.authToken, { mode: 0o600 });
}

function configFile(token = api.authToken, extra: Record<string, Record<string, unknown>> = {}): string {
  writeFileSync(join(dir, 'token'), token, { mode: 0o600 });
  const file = join(dir, 'config.yaml');
  const yaml = daemonConfig(
    { serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') },
    {
      mqtt: { client_id: `daemon-${base}` },
      ...extra,
      wireless: {
        base_url: api.wirelessBaseUrl,
        account_sid: api.accountSid,
        auth_token_file: join(dir, 'token'),
        ...extra.wireless,
      },
    },
  );
  writeFileSync(file, yaml, { mode: 0o600 });
  return file;
}

async function doctor(file: string) {
  const result = await runCli(['doctor', '--config', file, '--json'], { timeoutMs: 40_000 });
  const checks = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Check);
  const byId = (id: string) => checks.find((check) => check.id === id);
  return { code: result.code, checks, byId, stderr: result.stderr };
}

describe('m2m-bridge doctor against the simulator, a real Mosquitto and the API emulator', () => {
  it('passes a healthy gateway (daemon stopped: it opens the port itself) and exits 0', async () => {
    await setUp();
    const report = await doctor(configFile());
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.code).toBe(0);
    for (const id of [
      'config',
      'mqtt.connect',
      'serial.device',
      'serial.access',
      'modem.at',
      'sim.ready',
      'modem.identity',
      'network.registration',
      'network.signal',
      'sms.storage',
      'sms.cnmi',
      'api.credentials',
      'api.sim',
      'api.rate_plan',
      'api.data_session',
    ])
      expect(report.byId(id)?.status, id).toBe('pass');
    expect(report.byId('daemon')?.status).toBe('warn');
    expect(report.byId('modem.identity')?.detail).toContain(sim.modem.state().identity.iccid);
  });

  it('fails a PIN-locked SIM when no PIN is configured, with the key to set', async () => {
    await setUp({ pin: '1234' });
    const report = await doctor(configFile());
    expect(report.code).toBe(1);
    expect(report.byId('sim.ready')).toMatchObject({ status: 'fail', hint: expect.stringContaining('modem.pin_file') });
  });

  it.each([
    ['a full SMS storage', { storageFull: true }, 'sms.storage'],
    ['a modem that stopped answering', { hang: true }, 'modem.at'],
  ])('fails %s with a hint', async (_name, faults, id) => {
    await setUp();
    sim.modem.setFaults(faults);
    const report = await doctor(configFile());
    expect(report.code).toBe(1);
    const check = report.byId(id);
    expect(check?.status).toBe('fail');
    expect(check?.hint.length).toBeGreaterThan(10);
  });

  it('warns while the modem searches for a network, with a hint', async () => {
    await setUp();
    sim.modem.setFaults({ noNetwork: true });
    const report = await doctor(configFile());
    expect(report.byId('network.registration')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('searching'),
    });
    expect(report.byId('network.registration')?.hint).toMatch(/antenna/);
  });

  it('fails when the broker is unreachable, naming the URL', async () => {
    await setUp();
    await broker.stop();
    try {
      const report = await doctor(configFile());
      expect(report.code).toBe(1);
      expect(report.byId('mqtt.connect')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('connection refused'),
      });
      // The modem checks still run (the port is free).
      expect(report.byId('modem.at')?.status).toBe('pass');
    } finally {
      await broker.start();
    }
  });

  it('reports API errors: a wrong token and a suspended SIM', async () => {
    await setUp();
    const wrong = await doctor(configFile('not-the-token'));
    expect(wrong.byId('api.credentials')).toMatchObject({ status: 'fail', detail: expect.stringContaining('20003') });
    const [simRecord] = [...api.network.sims.values()];
    const auth = `Basic ${Buffer.from(`${api.accountSid}:${api.authToken}`).toString('base64')}`;
    const update = await fetch(`${api.wirelessBaseUrl}/Sims/${simRecord?.sid}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Status: 'suspended' }),
    });
    expect(update.status).toBe(200);
    const suspended = await doctor(configFile());
    expect(suspended.byId('api.sim')).toMatchObject({ status: 'fail', detail: expect.stringContaining('suspended') });
  });

  it('checks a Super SIM gateway on the Super SIM API, with the ICCID the modem reports', async () => {
    await setUp();
    const report = await doctor(
      configFile(api.authToken, {
        commands: { product: 'super-sim' },
        // Nothing listens there: a Super SIM gateway must not need the Programmable Wireless API.
        wireless: { base_url: 'http://127.0.0.1:1/v1', super_sim_base_url: api.superSimBaseUrl },
      }),
    );
    expect(report.byId('api.credentials')).toMatchObject({ status: 'pass', title: 'Super SIM API credentials' });
    expect(report.byId('api.sim')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^gw-1 \(HS\w+\) is /),
    });
    expect(report.byId('api.rate_plan')?.status).toBe('skip');
    expect(report.byId('api.data_session')?.status).toBe('skip');
    expect(report.code).toBe(0);
  });

  it('asks the running daemon over MQTT instead of opening the busy port', async () => {
    await setUp();
    const file = configFile();
    const daemon = DaemonProcess.start(dir, readFileSync(file, 'utf8'));
    try {
      await daemon.waitForLog('modem ready', (line) => line.msg === 'modem state' && line.state === 'ready', 20_000);
      const report = await doctor(file);
      expect(report.byId('daemon')?.status).toBe('pass');
      expect(report.byId('modem.at')).toMatchObject({ status: 'pass', title: 'modem (via the daemon)' });
      expect(report.byId('serial.holders')?.status).toBe('pass');
      expect(report.byId('network.registration')?.status).toBe('pass');
      // The SIM and +CNMI lines, read by the daemon on its own channel (AT+CPIN?, AT+CNMI?).
      expect(report.byId('sim.ready')).toMatchObject({ status: 'pass', detail: 'READY' });
      expect(report.byId('sms.cnmi')).toMatchObject({
        status: 'pass',
        detail: expect.stringMatching(
          /^AT\+CNMI\? → \d,1,\d,\d,\d \(new SMS are stored and announced; read through the daemon\)$/,
        ),
      });
      expect(report.code).toBe(0);
    } finally {
      await daemon.signal('SIGTERM');
    }
  });

  it('fails a PIN-locked SIM through the running daemon, with the key to set', async () => {
    await setUp({ pin: '1234' });
    const file = configFile();
    const daemon = DaemonProcess.start(dir, readFileSync(file, 'utf8'));
    try {
      await daemon.waitForLog(
        'modem not initialised: the PIN',
        (line) => line.msg === 'modem state' && line.state === 'not_initialized',
        20_000,
      );
      const report = await doctor(file);
      expect(report.byId('daemon')?.status).toBe('pass');
      expect(report.byId('sim.ready')).toMatchObject({
        status: 'fail',
        // The daemon keeps the port open while the SIM is blocked, so doctor reads the SIM's own answer through it.
        detail: 'the SIM wants its PIN',
        hint: expect.stringContaining('modem.pin_file'),
      });
      expect(report.code).toBe(1);
    } finally {
      await daemon.signal('SIGTERM');
    }
  });

  it('fails +CNMI through the running daemon when the modem no longer announces new SMS', async () => {
    await setUp();
    const file = configFile();
    const daemon = DaemonProcess.start(dir, readFileSync(file, 'utf8'));
    try {
      await daemon.waitForLog('modem ready', (line) => line.msg === 'modem state' && line.state === 'ready', 20_000);
      // Another program on the modem (a second connection to the simulated modem) switches notifications off.
      const other = sim.modem.connect();
      other.resume();
      other.write('AT+CNMI=0,0,0,0,0\r');
      await waitFor('+CNMI switched off', () => sim.modem.state().settings.cnmi[1] === 0);
      other.destroy();
      const report = await doctor(file);
      expect(report.byId('sms.cnmi')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('AT+CNMI? → 0,0,0,0,0: new SMS are not announced'),
        hint: expect.stringContaining('restart the daemon'),
      });
      expect(report.code).toBe(1);
    } finally {
      await daemon.signal('SIGTERM');
    }
  });
});
