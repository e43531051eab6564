import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-instance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noFile = join(dir, 'absent.yaml');
const load = (flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  loadConfig({ env, flags: { 'serial.path': '/dev/ttyUSB2', ...flags }, defaultConfigPath: noFile, hostname: 'gw-7' })
    .config;

describe('instance.name: one daemon per modem', () => {
  it('unnamed: base topic m2m, client id m2m-bridge-<hostname>, the journal under /var/lib/m2m-bridge', () => {
    const config = load({});
    expect(config.instance.name).toBeUndefined();
    expect(config.mqtt).toMatchObject({ base_topic: 'm2m', client_id: 'm2m-bridge-gw-7' });
    expect(config.store.path).toBe('/var/lib/m2m-bridge/journal.db');
  });

  it('named (flag or M2M_BRIDGE_INSTANCE_NAME): its own topic, session and journal', () => {
    for (const config of [load({ 'instance.name': 'lte1' }), load({}, { M2M_BRIDGE_INSTANCE_NAME: 'lte1' })]) {
      expect(config.mqtt).toMatchObject({ base_topic: 'm2m/lte1', client_id: 'm2m-bridge-gw-7-lte1' });
      expect(config.store.path).toBe('/var/lib/m2m-bridge/lte1/journal.db');
    }
  });

  it('keys set explicitly win over the defaults of the name', () => {
    const config = load({
      'instance.name': 'lte1',
      'mqtt.base_topic': 'plant/line-3',
      'mqtt.client_id': 'line-3',
      'store.path': '/data/line3.db',
    });
    expect(config.mqtt).toMatchObject({ base_topic: 'plant/line-3', client_id: 'line-3' });
    expect(config.store.path).toBe('/data/line3.db');
  });

  it('refuses a name that is no topic level, file name or systemd instance, naming the key', () => {
    for (const bad of ['LTE1', 'a/b', 'lte 1', '', '-x', 'x'.repeat(33)]) {
      expect(() => load({ 'instance.name': bad }), bad).toThrow(ConfigError);
      try {
        load({ 'instance.name': bad });
      } catch (error) {
        expect((error as ConfigError).issues[0]?.key).toBe('instance.name');
      }
    }
  });
});

describe('--instance NAME on the command line', () => {
  const env = { M2M_BRIDGE_CONFIG_DIR: dir };

  it('reads NAME.yaml from M2M_BRIDGE_CONFIG_DIR and names the instance', async () => {
    writeFileSync(join(dir, 'backup.yaml'), 'serial:\n  path: /dev/m2m/by-serial/X\n', { mode: 0o600 });
    const result = await runCli(['config', 'check', '--instance', 'backup', '--print', '--json'], { env });
    expect(result.code, result.stdout).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.file).toBe(join(dir, 'backup.yaml'));
    expect(out.config).toMatchObject({ instance: { name: 'backup' }, mqtt: { base_topic: 'm2m/backup' } });
  });

  it('doctor --instance checks that instance’s config', async () => {
    writeFileSync(
      join(dir, 'lte3.yaml'),
      `serial:\n  path: ${join(dir, 'no-modem')}\nmqtt:\n  url: mqtt://127.0.0.1:1\n`,
      {
        mode: 0o600,
      },
    );
    const result = await runCli(['doctor', '--instance', 'lte3', '--json'], { env, timeoutMs: 30_000 });
    const checks = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(checks[0]).toMatchObject({ id: 'config', status: 'pass', detail: `${join(dir, 'lte3.yaml')} is valid` });
    expect(result.code).toBe(1); // no modem, no broker: FAILs, but of lte3's settings
    expect(result.stdout).toContain(join(dir, 'no-modem'));
  });

  it('says which file is missing, refuses a bad name and --config with --instance (usage, exit 2)', async () => {
    const missing = await runCli(['config', 'check', '--instance', 'lte9'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toContain(`${join(dir, 'lte9.yaml')} does not exist`);
    for (const args of [
      ['history', '--instance', 'LTE1'],
      ['status', '--instance', 'lte1', '--config', join(dir, 'backup.yaml')],
      ['run', '--instance', '../etc'],
    ]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
