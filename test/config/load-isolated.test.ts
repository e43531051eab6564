import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadConfigOptions } from '../../src/config/index.js';

// The BUILT loader (npm test builds first): it starts dist/…/load-child.js, which only exists there.
const { ConfigError, loadConfig, loadConfigIsolated } = (await import(
  new URL('../../dist/src/config/index.js', import.meta.url).href
)) as typeof import('../../src/config/index.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m config isolated '));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function options(yaml: string, extra: Partial<LoadConfigOptions> = {}): LoadConfigOptions {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml);
  chmodSync(path, 0o640);
  return { configPath: path, env: {}, defaultConfigPath: join(dir, 'absent.yaml'), hostname: 'gw-01', ...extra };
}

describe('loadConfigIsolated: loadConfig in a child process', () => {
  it('gives exactly what loadConfig gives, secrets and flags included', async () => {
    const secret = join(dir, 'mqtt password');
    writeFileSync(secret, 'pa55 "wörd"\n', { mode: 0o600 });
    const yaml = `serial:\n  path: /dev/ttyUSB2\nmqtt:\n  url: mqtt://127.0.0.1:1883\n  username: gw\n  password_file: ${JSON.stringify(secret)}\n`;
    const given = options(yaml, {
      flags: { 'log.level': 'debug' },
      flagNames: { 'log.level': '--log-level' },
    });
    const isolated = await loadConfigIsolated(given);
    expect(isolated.secrets.mqtt_password).toMatch(/^pa55 "wörd"/);
    expect(isolated.config.log.level).toBe('debug');
    expect(isolated).toStrictEqual(loadConfig(given));
  });

  it('rejects an invalid config with the same ConfigError, origins and all', async () => {
    const given = options('serial:\n  path: /dev/ttyUSB2\n  baud: 9600\n', {
      flags: { 'log.level': 'loud' },
      flagNames: { 'log.level': '--log-level' },
    });
    const error = await loadConfigIsolated(given).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    let direct: unknown;
    try {
      loadConfig(given);
    } catch (e) {
      direct = e;
    }
    expect((error as InstanceType<typeof ConfigError>).message).toBe((direct as Error).message);
    expect((error as InstanceType<typeof ConfigError>).issues).toStrictEqual(
      (direct as InstanceType<typeof ConfigError>).issues,
    );
    expect((error as Error).message).toMatch(/serial\.baud.*--log-level/s);
  });
});
