import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config/index.js';
import { runCli } from '../helpers/cli.js';

// Through the built binary (npm test builds first), as a user runs it.
const dir = mkdtempSync(join(tmpdir(), 'm2m-config-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Keep the caller's M2M_BRIDGE_* variables from leaking into the checks.
const env = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => k.startsWith('M2M_BRIDGE_'))
    .map((k) => [k, '']),
);

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('m2m-bridge config', () => {
  it('check prints OK and warnings, exit 0', async () => {
    const password = file('password', 'pw\n', 0o644);
    const config = file(
      'good.yaml',
      `serial:\n  path: /dev/ttyUSB2\nmqtt:\n  username: bridge\n  password_file: ${password}\n`,
    );
    const result = await runCli(['config', 'check', '--config', config], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`OK: ${config}`);
    expect(result.stdout).toContain(
      `warning: mqtt.password_file: ${password} holds a secret and is readable by every user`,
    );
  });

  it('check lists every error with the key and where it came from, exit 1', async () => {
    const config = file('bad.yaml', 'serial:\n  path: /dev/ttyUSB2\nmqtt:\n  version: 6\n  colour: blue\n');
    const result = await runCli(['config', 'check', '--config', config], {
      env: { ...env, M2M_BRIDGE_SERIAL_BAUD_RATE: 'fast' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid configuration (3 problems):');
    expect(result.stderr).toContain(`mqtt.version: expected 4 or 5, got "6" (${config}:4:3)`);
    expect(result.stderr).toContain('mqtt.colour: unknown key');
    expect(result.stderr).toContain(
      'serial.baud_rate: expected an integer, got "fast" (from M2M_BRIDGE_SERIAL_BAUD_RATE)',
    );
    expect(result.stderr).not.toContain('    at ');
  });

  it('check gives the line and column of a YAML syntax error', async () => {
    const config = file('syntax.yaml', 'serial:\n  path: "/dev/ttyUSB2\n');
    const result = await runCli(['config', 'check', '--config', config], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`YAML syntax error: .*\\(${config}:\\d+:\\d+\\)`));
  });

  it('check --set overrides, --print shows the effective config without secrets, --json is one line', async () => {
    const config = file('pin.yaml', 'serial:\n  path: /dev/a\nmodem:\n  pin: "9876"\n');
    const result = await runCli(
      ['config', 'check', '--config', config, '--set', 'serial.path=/dev/b', '--print', '--json'],
      { env },
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    expect(report).toMatchObject({ status: 'ok', file: config, errors: [], config: { serial: { path: '/dev/b' } } });
    expect(report.config.modem.pin).toBe('[redacted]');
    expect(result.stdout).not.toContain('9876');
  });

  it('check --json reports errors as objects', async () => {
    const result = await runCli(['config', 'check', '--config', file('empty.yaml', ''), '--json'], { env });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('error');
    expect(report.errors).toEqual([
      {
        key: 'serial.path',
        message: 'required, not set (expected a string)',
        origin: null,
        text: 'serial.path: required, not set (expected a string)',
      },
    ]);
  });

  it('refuses a world-writable config file', async () => {
    const config = file('open.yaml', 'serial:\n  path: /dev/x\n', 0o666);
    const result = await runCli(['config', 'check', '--config', config], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is writable by every user');
  });

  it('schema prints the JSON schema', async () => {
    const result = await runCli(['config', 'schema'], { env });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.title).toBe('m2m-bridge configuration');
    expect(Object.keys(schema.properties)).toContain('mqtt');
  });

  it('the shipped example config passes the check', async () => {
    const example = fileURLToPath(new URL('../../systemd/config.example.yaml', import.meta.url));
    const result = await runCli(['config', 'check', '--config', example], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('the shipped example config shows every key, under its section, with a comment', () => {
    const example = readFileSync(fileURLToPath(new URL('../../systemd/config.example.yaml', import.meta.url)), 'utf8');
    const lines = example.split('\n');
    const missing: string[] = [];
    for (const key of CONFIG_KEYS) {
      const section = lines.findIndex((line) => line === `${key.section}:` || line === `# ${key.section}:`);
      const end = lines.findIndex((line, i) => i > section && /^#? ?[a-z_]+:/.test(line));
      const body = lines.slice(section + 1, end < 0 ? undefined : end);
      const at = body.findIndex((line) => new RegExp(`^\\s*#?\\s*${key.name}:`).test(line));
      // Its explanation is the comment line right above it (or above its commented-out example).
      if (section < 0 || at < 1 || !/^\s*#/.test(body[at - 1]!)) missing.push(key.key);
    }
    expect(missing).toEqual([]);
  });

  it('names a bad value by the flag the user typed: run --log-level, config check --set', async () => {
    const run = await runCli(['run', '--log-level', 'loud', '--serial-path', '/dev/null'], { env });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('log.level: expected one of');
    expect(run.stderr).toContain('got "loud" (from --log-level)');
    const check = await runCli(['config', 'check', '--set', 'serial.path=/x', '--set', 'serial.baud_rate=fast'], {
      env,
    });
    expect(check.stdout + check.stderr).toContain(
      'serial.baud_rate: expected an integer, got "fast" (from --set serial.baud_rate=…)',
    );
  });

  it('rejects a missing or unknown subcommand with usage exit 2', async () => {
    expect((await runCli(['config'], { env })).code).toBe(2);
    expect((await runCli(['config', 'frob'], { env })).stderr).toContain("unknown subcommand 'frob'");
  });
});
