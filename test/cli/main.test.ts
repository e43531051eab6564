import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('m2m-bridge CLI', () => {
  it('prints help listing the commands, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: m2m-bridge <command>');
  });

  it('ships a LICENSE whose terms are the license package.json declares', () => {
    const pkgLicense = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        license: string;
      }
    ).license;
    const text = readFileSync(new URL('../../LICENSE', import.meta.url), 'utf8');
    expect(pkgLicense).toBe('MIT');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('rejects an unknown command with one line and exit 2', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).not.toContain('did you mean');
  });

  it('suggests the command a typo most likely meant', async () => {
    for (const [typo, meant] of [
      ['histroy', 'history'],
      ['doctr', 'doctor'],
      ['statsu', 'status'],
      ['simualte', 'simulate'],
    ] as const) {
      const result = await runCli([typo]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `m2m-bridge: unknown command '${typo}' (did you mean '${meant}'?); see m2m-bridge --help`,
      );
    }
  });

  it('rejects an unknown top-level flag with one line and exit 2', async () => {
    const result = await runCli(['--frob']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--frob'");
    expect(result.stderr).not.toContain('at ');
  });

  it('with no command prints help and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Commands:');
  });
});
