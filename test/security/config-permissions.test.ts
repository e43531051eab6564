import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// README, Configuration: "a config or secret file that other users can write is refused, one they can read gets a
// warning". Anyone who can write the config could point serial.path or store.path elsewhere or swap the broker;
// anyone who can write a secret file chooses the PIN the daemon sends. Checked through the built binary.

const dir = mkdtempSync(join(tmpdir(), 'm2m-config-perms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET_KEYS = {
  pin: ['modem', 'pin_file', '12345678'],
  'mqtt-password': ['mqtt', 'password_file', 'broker-password'],
  token: ['wireless', 'auth_token_file', 'api-token'],
} as const;

/** A complete config with every secret in its own file (mode 0600), the file modes given here. */
function writeConfig(name: string, modes: { config?: number; secret?: keyof typeof SECRET_KEYS; secretMode?: number }) {
  const sub = join(dir, name);
  mkdirSync(sub);
  const files: Record<string, string> = {};
  for (const [file, [, , value]] of Object.entries(SECRET_KEYS)) {
    files[file] = join(sub, file);
    writeFileSync(files[file], `${value}\n`, { mode: 0o600 });
    chmodSync(files[file], modes.secret === file ? (modes.secretMode ?? 0o600) : 0o600);
  }
  const config = join(sub, 'config.yaml');
  writeFileSync(
    config,
    [
      'serial:',
      `  path: ${join(sub, 'no-modem')}`,
      'modem:',
      `  pin_file: ${files.pin}`,
      'mqtt:',
      '  url: mqtt://127.0.0.1:1',
      '  username: bridge',
      `  password_file: ${files['mqtt-password']}`,
      'store:',
      `  path: ${join(sub, 'journal.db')}`,
      'wireless:',
      '  account_sid: AC0123456789abcdef0123456789abcdef',
      `  auth_token_file: ${files.token}`,
      '',
    ].join('\n'),
  );
  chmodSync(config, modes.config ?? 0o600);
  return { config, files, journal: join(sub, 'journal.db') };
}

describe('the config loader and file permissions', () => {
  it('refuses a world-writable config file: run exits 78 naming the file, and starts nothing', async () => {
    const { config, journal } = writeConfig('config-ww', { config: 0o666 });
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(78);
    expect(existsSync(journal)).toBe(false);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toMatch(/writable by every user/);
  });

  for (const [secret, [section, key]] of Object.entries(SECRET_KEYS)) {
    it(`refuses a world-writable ${section}.${key}: run exits 78 naming the key and the file`, async () => {
      const { config, files } = writeConfig(`secret-ww-${secret}`, {
        secret: secret as keyof typeof SECRET_KEYS,
        secretMode: 0o646,
      });
      const result = await runCli(['run', '--config', config]);
      expect(result.code).toBe(78);
      expect(result.stderr).toContain(`${section}.${key}`);
      expect(result.stderr).toContain(files[secret]);
      // The refusal names the file; it never prints what is in it.
      expect(result.stderr + result.stdout).not.toContain(SECRET_KEYS[secret as keyof typeof SECRET_KEYS][2]);
    });
  }

  it('warns about a world-readable secret file without printing it, and accepts the config', async () => {
    const { config, files } = writeConfig('secret-wr', { secret: 'pin', secretMode: 0o644 });
    const result = await runCli(['config', 'check', '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain(files.pin);
    expect(result.stdout + result.stderr).not.toContain('12345678');
  });
});
