import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { brokerForThisFile } from '../helpers/broker.js';
import { installBin } from '../helpers/installed-bin.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

interface Addresses {
  api_url: string;
  account_sid: string;
  auth_token: string;
  mqtt_url: string;
  base_topic: string;
  control_url: string | null;
}

// As after `npm install -g`: m2m-bridge on PATH, and no node_modules/.bin (so no `npx mqtt`) where the guide runs.
const installed = installBin();
afterAll(() => installed.remove());

/** `m2m-bridge simulate …` as a real process; stop() sends Ctrl-C (SIGINT) and resolves with the exit code. */
class Simulate {
  stdout = '';
  stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn('m2m-bridge', ['simulate', '--api-port', '0', ...args], {
      env: installed.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  readonly child: ChildProcess;

  async addresses(): Promise<Addresses> {
    const line = await waitFor(
      'the addresses line',
      () => this.stdout.split('\n').find((l) => l.startsWith('{')),
      20_000,
    );
    return JSON.parse(line) as Addresses;
  }

  /** The printed guide, once its last step is out. */
  guide(): Promise<string> {
    return waitFor(
      'the guide',
      () => (/7\. See what the daemon journaled[^\n]*\n[^\n]+\n/.test(this.stdout) ? this.stdout : ''),
      20_000,
    );
  }

  /** Resolves with the exit code once the process ends by itself. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    return this.exited;
  }
}

const basicAuth = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

const broker = brokerForThisFile();
let running: Simulate | undefined;
const shells: ChildProcess[] = [];

afterEach(async () => {
  for (const shell of shells.splice(0)) {
    // The guide's commands run as `sh -c …` in a process group of their own (ended with the shell's children).
    if (shell.exitCode === null && shell.signalCode === null && shell.pid) {
      const gone = new Promise((resolve) => shell.once('exit', resolve));
      process.kill(-shell.pid, 'SIGTERM');
      await gone;
    }
  }
  if (running) expect(await running.stop()).toBe(0);
  running = undefined;
});

/** Runs one of the guide's shell lines as printed, outside the checkout, with the installed m2m-bridge on PATH. */
function shell(command: string): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn('sh', ['-c', command], {
    cwd: tmpdir(),
    env: installed.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  shells.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const done = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, done };
}

/** The guide line that starts (after its indentation) with `prefix`. */
function guideLine(guide: string, prefix: string): string {
  const line = guide.split('\n').find((l) => l.trimStart().startsWith(prefix));
  if (!line) throw new Error(`no line starting with ${prefix} in the guide:\n${guide}`);
  return line.trim();
}

describe('m2m-bridge simulate: flags and the printed guide', () => {
  it('uses an existing broker with --mqtt-url (a real Mosquitto, MQTT 5) instead of the embedded one', async () => {
    running = new Simulate(['--mqtt-url', broker.url, '--base-topic', 'sim-url', '--json']);
    const sim = await running.addresses();
    expect(sim.mqtt_url).toBe(broker.url);
    const app = await TestSubscriber.connect(broker.url, ['sim-url/#'], { protocolVersion: 5 });
    try {
      await app.waitFor('modem ready', (m) => m.topic === 'sim-url/modem/state' && m.text.includes('"ready"'), 20_000);
      const created = await fetch(`${sim.api_url}/Commands`, {
        method: 'POST',
        headers: {
          authorization: basicAuth(sim.account_sid, sim.auth_token),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ Sim: 'gateway-1', Command: 'via mosquitto' }),
      });
      expect(created.status).toBe(201);
      const received = await app.waitFor('command/received', (m) => m.topic === 'sim-url/command/received', 15_000);
      expect(JSON.parse(received.text)).toMatchObject({ body: 'via mosquitto', from: '2936' });
    } finally {
      await app.close();
    }
  });

  it('sets the emulator credentials with --account-sid and --auth-token, and refuses any others', async () => {
    const sid = `AC${'1234abcd'.repeat(4)}`;
    running = new Simulate(['--mqtt-url', broker.url, '--account-sid', sid, '--auth-token', 's3cret-token', '--json']);
    const sim = await running.addresses();
    expect(sim).toMatchObject({ account_sid: sid, auth_token: 's3cret-token' });
    const list = (authorization: string) => fetch(`${sim.api_url}/Sims`, { headers: { authorization } });
    const accepted = await list(basicAuth(sid, 's3cret-token'));
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { sims: Array<{ unique_name: string }> }).sims[0]?.unique_name).toBe(
      'gateway-1',
    );
    for (const [user, token] of [
      [sid, 'emulator-auth-token'],
      ['AC00000000000000000000000000000000', 's3cret-token'],
    ] as const) {
      const refused = await list(basicAuth(user, token));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 20003 });
    }
  });

  it('simulates the modem named by --profile', async () => {
    running = new Simulate(['--mqtt-url', broker.url, '--base-topic', 'sim-profile', '--profile', 'simcom', '--json']);
    await running.addresses();
    const app = await TestSubscriber.connect(broker.url, ['sim-profile/bridge/info'], { protocolVersion: 5 });
    try {
      // bridge/info carries the identity the daemon read from the modem (AT+CGMI/AT+CGMM) once it is initialised.
      const info = await app.waitFor('bridge/info with the modem model', (m) => m.text.includes('SIM800'), 20_000);
      expect(JSON.parse(info.text)).toMatchObject({ modem: { manufacturer: 'SIMCOM_Ltd', model: 'SIMCOM_SIM800L' } });
    } finally {
      await app.close();
    }
  });

  it('refuses an unknown --profile, naming the ones there are', async () => {
    const refused = new Simulate(['--profile', 'nokia']);
    expect(await refused.exit()).toBe(2);
    expect(refused.stderr).toContain('--profile: expected generic, quectel, simcom, ublox or huawei, got "nokia"');
  });

  it('prints a guide whose commands work as printed: curl → MQTT, mqtt pub → a from_sim Command', async () => {
    running = new Simulate(['--mqtt-port', '0']);
    const guide = await running.guide();

    // 1. Watch what the bridge publishes.
    const watch = shell(guideLine(guide, 'm2m-bridge mqtt sub'));
    await waitFor(
      'the watcher to see the retained modem state',
      () => /m2m\/modem\/state .*"ready"/.test(watch.output()),
      30_000,
    );

    // 2. A Command through the API arrives on m2m/command/received.
    const create = shell(guideLine(guide, 'curl -s -u'));
    expect(await create.done).toBe(0);
    expect(JSON.parse(create.output())).toMatchObject({ status: 'queued', direction: 'to_sim', command: 'reboot now' });
    await waitFor(
      'the Command on m2m/command/received',
      () => /m2m\/command\/received .*reboot now/.test(watch.output()),
      15_000,
    );

    // 3. The reply published as printed goes out, its progress on m2m/command/status…
    const reply = shell(guideLine(guide, 'm2m-bridge mqtt pub'));
    expect(await reply.done).toBe(0);
    await waitFor(
      'the reply on m2m/command/status',
      () => /m2m\/command\/status .*"transaction":"1"/.test(watch.output()),
      15_000,
    );

    // 4. …and shows up in the cloud as a from_sim Command.
    const listLine = guide
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('curl') && l.includes('Direction=from_sim'));
    expect(listLine).toBeDefined();
    const fromSim = await waitFor(
      'the from_sim Command in the list the guide prints',
      async () => {
        const list = shell(listLine ?? '');
        await list.done;
        const body = JSON.parse(list.output()) as {
          commands: Array<{ command: string; status: string; direction: string }>;
        };
        return body.commands.find((c) => c.command === 'rebooting');
      },
      15_000,
      200,
    );
    expect(fromSim).toMatchObject({ status: 'received', direction: 'from_sim' });

    // 7. The journal the guide names holds the Command and the reply.
    const history = shell(guideLine(guide, 'm2m-bridge history --store-path'));
    expect(await history.done).toBe(0);
    expect(history.output()).toMatch(/\bin\b.*reboot now/);
    expect(history.output()).toMatch(/\bout\b.*rebooting/);
  });
});
