import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cliPath, runCli } from '../../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-sim-cli-'));
  dirs.push(dir);
  return dir;
}

describe('m2m-bridge modem-sim (built binary)', () => {
  test('prints the device and control address, serves the control API, cleans up on SIGTERM', async () => {
    const link = join(tempDir(), 'ttyMODEM');
    const child = spawn(
      process.execPath,
      [cliPath, 'modem-sim', '--link', link, '--control', '127.0.0.1:0', '--profile', 'quectel'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no startup line within 10 s: ${out}`)), 10_000);
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.split('\n')[0]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`modem-sim exited early with ${code}`)));
      });
      const started = JSON.parse(line);
      expect(started).toMatchObject({ device: link, profile: 'quectel', tcp: null });
      expect(started.pty).toMatch(/^\/dev\/pts\/\d+$/);
      expect(existsSync(link)).toBe(true);
      const state = (await (await fetch(`${started.control}/state`)).json()) as { identity: { manufacturer: string } };
      expect(state.identity.manufacturer).toBe('Quectel');
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(link)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('bad usage exits 2 with a one-line message', async () => {
    const missing = await runCli(['modem-sim']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--link PATH is required/);
    const profile = await runCli(['modem-sim', '--link', join(tempDir(), 'x'), '--profile', 'nokia']);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/--profile must be one of generic, quectel, simcom, ublox, huawei/);
    const control = await runCli(['modem-sim', '--link', join(tempDir(), 'x'), '--control', 'nope']);
    expect(control.stderr).toMatch(/--control must be HOST:PORT/);
    const help = await runCli(['modem-sim', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--baud N');
  });
});
