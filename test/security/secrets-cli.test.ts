import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { runCli } from '../helpers/cli.js';

// The daemon never calls the API; the API token is used by `sims`, `commands` and `doctor`. Whatever they print —
// results, API errors, stack traces with M2M_BRIDGE_DEBUG=1 — must not carry the token, right or wrong.

let emulator: WirelessEmulator;
let dir: string;
const WRONG_TOKEN = 'wrong-but-still-secret-4f9c2e7a1b';

function config(name: string, token: string): string {
  writeFileSync(join(dir, `${name}.token`), token, { mode: 0o600 });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'serial:',
      '  path: /dev/ttyUSB2',
      'wireless:',
      `  base_url: ${emulator.wirelessBaseUrl}`,
      `  account_sid: ${emulator.accountSid}`,
      `  auth_token_file: ${join(dir, `${name}.token`)}`,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o600);
  return file;
}

beforeAll(async () => {
  emulator = await startWirelessEmulator({
    sims: [{ iccid: '8901260000000000001', uniqueName: 'gateway-1', link: new MemorySmsLink() }],
  });
  dir = mkdtempSync(join(tmpdir(), 'm2m-secrets-cli-'));
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** KORE's form: a client id with a secret file, exchanged for Bearer tokens at the emulator's token endpoint. */
function koreConfig(name: string, secret: string): string {
  writeFileSync(join(dir, `${name}.secret`), secret, { mode: 0o600 });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'serial:',
      '  path: /dev/ttyUSB2',
      'wireless:',
      `  base_url: ${emulator.wirelessBaseUrl}`,
      `  client_id: ${emulator.clientId}`,
      `  client_secret_file: ${join(dir, `${name}.secret`)}`,
      `  token_url: ${emulator.tokenUrl}`,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o600);
  return file;
}

describe('the Wireless API token in the CLI', () => {
  it('sims, commands send and commands list work with it and never print it, not even with debug stacks', async () => {
    const good = config('good', emulator.authToken);
    const env = { M2M_BRIDGE_DEBUG: '1' };
    const runs = [
      await runCli(['sims', '--config', good, '--json'], { env }),
      await runCli(['commands', 'send', '--config', good, '--sim', 'gateway-1', 'status please'], { env }),
      await runCli(['commands', 'list', '--config', good, '--json'], { env }),
    ];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(emulator.authToken);
    }
    expect(runs[2]!.stdout).toContain('status please');
  });

  it('a refused token gives the API error (401, 20003) without the token, with and without debug stacks', async () => {
    const bad = config('bad', WRONG_TOKEN);
    for (const env of [{}, { M2M_BRIDGE_DEBUG: '1' }]) {
      const run = await runCli(['sims', '--config', bad], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/20003/);
      expect(run.stderr).toMatch(/401/);
      expect(run.stdout + run.stderr).not.toContain(WRONG_TOKEN);
      expect(run.stdout + run.stderr).not.toContain(
        Buffer.from(`${emulator.accountSid}:${WRONG_TOKEN}`).toString('base64'),
      );
    }
  });

  it('with KORE client credentials: sims and commands work and print neither the secret nor any issued token', async () => {
    const good = koreConfig('kore-good', emulator.clientSecret);
    const env = { M2M_BRIDGE_DEBUG: '1' };
    const runs = [
      await runCli(['sims', '--config', good, '--json'], { env }),
      await runCli(['commands', 'send', '--config', good, '--sim', 'gateway-1', 'kore says hi'], { env }),
      await runCli(['commands', 'list', '--config', good, '--json'], { env }),
    ];
    const tokens = emulator.tokens.issuedTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(emulator.clientSecret);
      for (const token of tokens) expect(run.stdout + run.stderr).not.toContain(token);
    }
    expect(runs[2]!.stdout).toContain('kore says hi');
  });

  it('a refused client secret is the token endpoint error, without the secret, with and without debug stacks', async () => {
    const bad = koreConfig('kore-bad', WRONG_TOKEN);
    for (const env of [{}, { M2M_BRIDGE_DEBUG: '1' }]) {
      const run = await runCli(['sims', '--config', bad], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('the token endpoint refused the client credentials (HTTP 401): unauthorized_client');
      expect(run.stdout + run.stderr).not.toContain(WRONG_TOKEN);
    }
  });
});
