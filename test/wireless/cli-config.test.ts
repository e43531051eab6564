import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySmsLink, startWirelessEmulator, type WirelessEmulator } from '../../device/network/index.js';
import { runCli } from '../helpers/cli.js';

// `--config FILE`: the daemon's YAML config (src/config loadConfig) supplies wireless.* to the CLI.
let emulator: WirelessEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startWirelessEmulator({
    sims: [{ iccid: '8901260000000000001', uniqueName: 'gateway-1', link: new MemorySmsLink() }],
  });
  dir = mkdtempSync(join(tmpdir(), 'm2m-bridge-cli-config-'));
  writeFileSync(join(dir, 'token'), emulator.authToken);
  chmodSync(join(dir, 'token'), 0o600);
  const yaml = [
    'serial:',
    '  path: /dev/ttyUSB2',
    'wireless:',
    `  base_url: ${emulator.wirelessBaseUrl}`,
    `  account_sid: ${emulator.accountSid}`,
    `  auth_token_file: ${join(dir, 'token')}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config.yaml'), yaml);
  chmodSync(join(dir, 'config.yaml'), 0o600);
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('m2m-bridge sims --config', () => {
  it('takes the base URL and credentials from the config file', async () => {
    const result = await runCli(['sims', '--config', join(dir, 'config.yaml'), '--json'], { env: {} });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ unique_name: 'gateway-1' });
  });

  it('a config without API credentials is a clear error', async () => {
    writeFileSync(join(dir, 'bare.yaml'), 'serial:\n  path: /dev/ttyUSB2\n');
    chmodSync(join(dir, 'bare.yaml'), 0o600);
    const result = await runCli(['commands', 'list', '--config', join(dir, 'bare.yaml')], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('wireless.account_sid and wireless.auth_token_file');
  });

  it('an invalid config names the key (exit 1)', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'serial:\n  path: /dev/ttyUSB2\nwireless:\n  account_sid: nope\n');
    chmodSync(join(dir, 'bad.yaml'), 0o600);
    const result = await runCli(['sims', '--config', join(dir, 'bad.yaml')], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('wireless.account_sid');
  });
});
