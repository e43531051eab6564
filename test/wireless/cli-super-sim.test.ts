import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { runCli } from '../helpers/cli.js';

// `m2m-bridge commands` on Super SIM's SmsCommands: the built binary against the emulator on a loopback port.
let emulator: WirelessEmulator;
let link: MemorySmsLink;
let dir: string;
let env: NodeJS.ProcessEnv;
let superSimSid: string;

beforeAll(async () => {
  link = new MemorySmsLink();
  emulator = await startWirelessEmulator({ sims: [{ iccid: '8901260000000000011', uniqueName: 'field-1', link }] });
  superSimSid = [...emulator.network.sims.values()][0]!.superSimSid!;
  dir = mkdtempSync(join(tmpdir(), 'm2m-bridge-supersim-cli-'));
  writeFileSync(join(dir, 'token'), `${emulator.authToken}\n`);
  env = {
    M2M_BRIDGE_WIRELESS_BASE_URL: emulator.wirelessBaseUrl,
    M2M_BRIDGE_WIRELESS_SUPER_SIM_BASE_URL: emulator.superSimBaseUrl,
    M2M_BRIDGE_WIRELESS_ACCOUNT_SID: emulator.accountSid,
    M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE: join(dir, 'token'),
  };
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('m2m-bridge commands --super-sim (SmsCommands)', () => {
  it('send --wait delivers the payload from 000 and prints the HC… SMS Command, delivered', async () => {
    const result = await runCli(['commands', 'send', '--super-sim', '--sim', 'field-1', '--wait', '--json', 'open'], {
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [sent] = lines(result.stdout);
    expect(sent).toMatchObject({ status: 'delivered', direction: 'to_sim', payload: 'open', sim_sid: superSimSid });
    expect(sent?.sid).toMatch(/^HC[0-9a-f]{32}$/);
    expect(link.received.at(-1)).toEqual({ from: '000', text: 'open' });
  });

  it('picks Super SIM by itself for an HS… SIM, and fetch by itself for an HC… SID', async () => {
    const sent = await runCli(['commands', 'send', '--sim', superSimSid, 'close'], { env });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(new RegExp(`^HC[0-9a-f]{32} queued to_sim ${superSimSid}\\n$`));
    const sid = sent.stdout.split(' ')[0]!;
    await emulator.waitForCommand((c) => c.sid === sid && c.status === 'delivered');
    const fetched = await runCli(['commands', 'fetch', sid, '--json'], { env });
    expect(fetched.code).toBe(0);
    expect(lines(fetched.stdout)[0]).toMatchObject({ sid, status: 'delivered', payload: 'close' });
  });

  it('picks Super SIM from a config whose commands.product is super-sim', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'serial:',
        '  path: /dev/ttyUSB2',
        'commands:',
        '  product: super-sim',
        'wireless:',
        `  base_url: ${emulator.wirelessBaseUrl}`,
        `  super_sim_base_url: ${emulator.superSimBaseUrl}`,
        `  account_sid: ${emulator.accountSid}`,
        `  auth_token_file: ${join(dir, 'token')}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const listed = await runCli(['commands', 'list', '--config', config, '--sim', 'field-1', '--json'], { env: {} });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const payloads = lines(listed.stdout).map((c) => c.payload);
    expect(payloads).toEqual(expect.arrayContaining(['open', 'close']));
  });

  it('lists from_sim SMS Commands as a table', async () => {
    link.sendFromDevice({ to: '000', text: 'closed' });
    await emulator.waitForCommand((c) => c.direction === 'from_sim');
    const table = await runCli(['commands', 'list', '--super-sim', '--direction', 'from_sim'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SID\s+CREATED\s+DIRECTION\s+STATUS\s+MODE\s+COMMAND\n/);
    expect(table.stdout).toMatch(/HC[0-9a-f]{32}\s+\S+\s+from_sim\s+received\s+text\s+"closed"/);
  });

  it('refuses what an SMS Command cannot carry before calling the API (exit 2)', async () => {
    for (const [args, message] of [
      [['--binary', 'AAEC'], /text only: leave out --binary/],
      [['--include-sid', 'start', 'x'], /--include-sid is Programmable Wireless only/],
      [['x'.repeat(161)], /at most 160 characters, this one 161/],
    ] as const) {
      const result = await runCli(['commands', 'send', '--super-sim', '--sim', 'field-1', ...args], { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const mixed = await runCli(['commands', 'fetch', '--super-sim', `DC${'0'.repeat(32)}`], { env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/is a Programmable Wireless SID \(DE…\/DC…\): leave out --super-sim/);
  });

  it('says what the API said when it refuses (exit 1): an unknown SIM, an unknown SMS Command', async () => {
    const unknownSim = await runCli(['commands', 'send', '--super-sim', '--sim', 'nobody', 'x'], { env });
    expect(unknownSim.code).toBe(1);
    expect(unknownSim.stderr).toMatch(/^m2m-bridge commands: API error \d+, HTTP 4\d\d: /);
    const unknown = await runCli(['commands', 'fetch', `HC${'0'.repeat(32)}`], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/API error 20404, HTTP 404/);
  });
});
