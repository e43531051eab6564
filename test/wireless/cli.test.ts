import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { runCli } from '../helpers/cli.js';

// The built binary (npm run build first) against the emulator on a free loopback port.
let emulator: WirelessEmulator;
let link: MemorySmsLink;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  link = new MemorySmsLink();
  emulator = await startWirelessEmulator({
    sims: [
      { iccid: '8901260000000000001', uniqueName: 'gateway-1', link },
      { iccid: '8901260000000000002', uniqueName: 'spare', status: 'suspended' },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'm2m-bridge-cli-'));
  writeFileSync(join(dir, 'token'), `${emulator.authToken}\n`);
  env = {
    M2M_BRIDGE_WIRELESS_BASE_URL: emulator.wirelessBaseUrl,
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

describe('m2m-bridge sims', () => {
  it('lists the SIMs as a table', async () => {
    const result = await runCli(['sims'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SID\s+UNIQUE_NAME\s+ICCID\s+STATUS/);
    expect(result.stdout).toMatch(/gateway-1\s+8901260000000000001\s+active/);
    expect(result.stdout).toMatch(/spare\s+8901260000000000002\s+suspended/);
  });

  it('--iccid --json prints the one matching Sim as a JSON line', async () => {
    const result = await runCli(['sims', '--iccid', '8901260000000000002', '--json'], { env });
    expect(result.code).toBe(0);
    const sims = lines(result.stdout);
    expect(sims).toHaveLength(1);
    expect(sims[0]).toMatchObject({ unique_name: 'spare', status: 'suspended', iccid: '8901260000000000002' });
  });

  it('flags override the environment, and a wrong token is exit 1 with the API code and no secret', async () => {
    writeFileSync(join(dir, 'wrong'), 'not-the-token');
    const result = await runCli(['sims', '--auth-token-file', join(dir, 'wrong')], { env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^m2m-bridge sims: API error 20003, HTTP 401: Authentication Error/);
    expect(result.stderr).not.toContain('not-the-token');
  });

  it('KORE client credentials from the environment and flags: the token is fetched and sims are listed', async () => {
    writeFileSync(join(dir, 'client-secret'), `${emulator.clientSecret}\n`);
    const kore = {
      M2M_BRIDGE_WIRELESS_BASE_URL: emulator.wirelessBaseUrl,
      M2M_BRIDGE_WIRELESS_CLIENT_ID: emulator.clientId,
      M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE: join(dir, 'client-secret'),
      M2M_BRIDGE_WIRELESS_ACCOUNT_SID: '',
      M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE: '',
    };
    const before = emulator.tokens.issuedCount;
    const result = await runCli(['sims', '--token-url', emulator.tokenUrl, '--json'], { env: kore });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((sim) => sim.unique_name)).toContain('gateway-1');
    expect(emulator.tokens.issuedCount).toBe(before + 1);
  });

  it('without credentials it says what to set (exit 2)', async () => {
    const result = await runCli(['sims', '--base-url', emulator.wirelessBaseUrl], {
      env: { M2M_BRIDGE_WIRELESS_ACCOUNT_SID: '', M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE: '' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('M2M_BRIDGE_WIRELESS_ACCOUNT_SID');
  });

  it('an unreachable API is exit 1 with one line', async () => {
    const result = await runCli(['sims'], { env: { ...env, M2M_BRIDGE_WIRELESS_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach the API');
  });
});

describe('m2m-bridge commands', () => {
  it('send delivers the text to the SIM (by unique name) with IncludeSid', async () => {
    const result = await runCli(
      ['commands', 'send', '--sim', 'gateway-1', '--include-sid', 'start', '--json', 'open valve'],
      {
        env,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [created] = lines(result.stdout);
    expect(created).toMatchObject({ status: 'queued', direction: 'to_sim', command_mode: 'text' });
    await emulator.waitForCommand((c) => c.sid === created?.sid && c.status === 'delivered');
    expect(link.received.at(-1)).toEqual({ from: '2936', text: `${created?.sid} open valve` });
  });

  it('send --binary sends base64 as binary', async () => {
    const result = await runCli(['commands', 'send', '--sim', 'gateway-1', '--binary', 'AAEC'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^DC[0-9a-f]{32} queued to_sim/);
    const sid = result.stdout.split(' ')[0];
    await emulator.waitForCommand((c) => c.sid === sid && c.status === 'delivered');
    expect(link.received.at(-1)).toEqual({ from: '2936', bytes: new Uint8Array([0, 1, 2]) });
  });

  it('send --wait prints the final status: delivered (exit 0) or failed (exit 1)', async () => {
    const ok = await runCli(['commands', 'send', '--sim', 'gateway-1', '--wait', '--json', 'status?'], { env });
    expect(ok.code).toBe(0);
    expect(lines(ok.stdout)[0]).toMatchObject({ status: 'delivered', command: 'status?' });
    link.failure = 'SIM absent';
    try {
      const failed = await runCli(['commands', 'send', '--sim', 'gateway-1', '--wait', 'status?'], { env });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^DC[0-9a-f]{32} failed to_sim/);
      expect(failed.stderr).toMatch(/Command DC[0-9a-f]{32} failed/);
    } finally {
      link.failure = null;
    }
  });

  it('send to a suspended SIM fails with the API error (exit 1)', async () => {
    const result = await runCli(['commands', 'send', '--sim', 'spare', 'hello'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/API error 33104, HTTP 400/);
  });

  it('send rejects bad usage before calling the API (exit 2)', async () => {
    for (const args of [
      ['commands', 'send', 'no sim'],
      ['commands', 'send', '--sim', 'gateway-1', '--binary', 'not base64!'],
      ['commands', 'send', '--sim', 'gateway-1', '--include-sid', 'middle', 'x'],
      ['commands', 'frobnicate'],
    ]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('list filters by direction and shows device replies (from_sim, received)', async () => {
    link.sendFromDevice({ to: '2936', text: 'valve open' });
    await emulator.waitForCommand((c) => c.direction === 'from_sim');
    const result = await runCli(['commands', 'list', '--direction', 'from_sim', '--json'], { env });
    expect(result.code).toBe(0);
    const listed = lines(result.stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ command: 'valve open', status: 'received', direction: 'from_sim' });

    const table = await runCli(['commands', 'list', '--sim', 'gateway-1', '--status', 'delivered'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SID\s+CREATED\s+DIRECTION\s+STATUS\s+MODE\s+COMMAND/);
    expect(table.stdout.trim().split('\n')).toHaveLength(4);
    expect(table.stdout).toContain('"open valve"');
  });

  it('list --limit follows pages only as far as needed', async () => {
    const result = await runCli(['commands', 'list', '--limit', '2', '--json'], { env });
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(2);
  });
});
