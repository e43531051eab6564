import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/daemon/exit-codes.js';
import { last, parseUnit } from './unit-file.js';

/** `systemd-analyze` is in Debian's `systemd` package; CI installs it (see the report / .ci/run). */
const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const haveAnalyze = analyze.status === 0;

const unitPath = fileURLToPath(new URL('../../systemd/m2m-bridge.service', import.meta.url));
const templatePath = fileURLToPath(new URL('../../systemd/m2m-bridge@.service', import.meta.url));
const unit = parseUnit(readFileSync(unitPath, 'utf8'));
const template = parseUnit(readFileSync(templatePath, 'utf8'));
const service = (key: string) => last(unit, 'Service', key);
const all = (key: string) => unit.get('Service')?.get(key) ?? [];

/** Analyses an instance of the template (m2m-bridge@lte1.service), as systemd would load it. */
function withInstance<T>(run: (instancePath: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-unit-'));
  try {
    copyFileSync(templatePath, join(dir, 'm2m-bridge@.service'));
    return run(join(dir, 'm2m-bridge@lte1.service'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('systemd/m2m-bridge.service', () => {
  it('runs `m2m-bridge run` with the config in its ConfigurationDirectory, as a dedicated user in dialout', () => {
    expect(service('ExecStart')).toMatch(/ m2m-bridge run --config \/etc\/m2m-bridge\/config\.yaml$/);
    expect(service('User')).toBe('m2m-bridge');
    expect(service('SupplementaryGroups')).toBe('dialout');
    expect(service('ConfigurationDirectory')).toBe('m2m-bridge');
    expect(service('StateDirectory')).toBe('m2m-bridge');
  });

  it('restarts always, rate-limited, but never for an invalid config (78) or a journal it must not open (65)', () => {
    expect(service('Restart')).toBe('always');
    expect(Number(service('RestartSec'))).toBeGreaterThan(0);
    expect(Number(last(unit, 'Unit', 'StartLimitBurst'))).toBeGreaterThan(0);
    expect(Number.parseInt(last(unit, 'Unit', 'StartLimitIntervalSec') ?? '', 10)).toBeGreaterThan(0);
    expect(service('RestartPreventExitStatus')?.split(/\s+/)).toEqual(
      expect.arrayContaining([String(EXIT.config), String(EXIT.journal), String(EXIT.conflict)]),
    );
  });

  it('starts again after a restart asked over MQTT (75), and counts that exit as a success', () => {
    expect(service('RestartPreventExitStatus')?.split(/\s+/)).not.toContain(String(EXIT.restart));
    expect(service('SuccessExitStatus')?.split(/\s+/)).toContain(String(EXIT.restart));
  });

  it('is hardened: no privileges, read-only system, no home, private tmp, only tty devices, few address families', () => {
    expect(service('Type')).toBe('exec');
    expect(service('NoNewPrivileges')).toBe('yes');
    expect(service('ProtectSystem')).toBe('strict');
    expect(service('ProtectHome')).toBe('yes');
    expect(service('PrivateTmp')).toBe('yes');
    expect(service('DevicePolicy')).toBe('closed');
    expect(all('DeviceAllow').map((d) => d.split(' ')[0])).toEqual([
      'char-ttyUSB',
      'char-ttyACM',
      'char-ttyS',
      'char-ttyAMA',
    ]);
    expect(service('CapabilityBoundingSet')).toBe('');
    expect(service('RestrictAddressFamilies')?.split(/\s+/).sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    expect(all('SystemCallFilter')[0]).toBe('@system-service');
    expect(service('MemoryMax')).toMatch(/^\d+[KMG]$/);
    // Only with --jitless: node's JIT needs W+X pages (deny-write-execute.test.ts runs the daemon under the filter).
    expect(service('MemoryDenyWriteExecute')).toBe('yes');
    expect(service('Environment')).toMatch(/NODE_OPTIONS=[^"]*--jitless/);
  });

  it(`passes systemd-analyze verify and rates OK or better in systemd-analyze security${haveAnalyze ? '' : ' (systemd-analyze missing: parsed only)'}`, () => {
    if (!haveAnalyze) {
      // Without systemd-analyze the checks above are what can be checked; the unit was parsed in full.
      expect(unit.has('Install')).toBe(true);
      return;
    }
    const verify = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stderr.trim(), 'verify printed warnings').toBe('');
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', unitPath], {
      encoding: 'utf8',
    });
    expect(security.status, security.stderr).toBe(0);
    const m = /Overall exposure level for m2m-bridge\.service: ([\d.]+) (\w+)/.exec(security.stdout);
    expect(m, security.stdout.slice(-500)).not.toBeNull();
    // systemd's scale: < 2.0 OK, < 1.0 SAFE ... ≥ 9.0 UNSAFE (src/analyze/analyze-security.c, badness_table).
    expect(['OK', 'SAFE', 'PERFECT']).toContain(m![2]);
    expect(Number(m![1])).toBeLessThan(2);
  });

  it('would notice a broken unit: a misspelt key makes systemd-analyze verify complain (or the parser throw)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-unit-'));
    try {
      const broken = join(dir, 'm2m-bridge.service');
      writeFileSync(broken, readFileSync(unitPath, 'utf8').replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes'));
      if (haveAnalyze) {
        const verify = spawnSync('systemd-analyze', ['verify', broken], { encoding: 'utf8' });
        expect(verify.stderr).toMatch(/Unknown key (?:name )?'NoNewPrivilege'/);
      }
      expect(last(parseUnit(readFileSync(broken, 'utf8')), 'Service', 'NoNewPrivileges')).toBeUndefined();
      expect(() => parseUnit('NoNewPrivileges=yes\n')).toThrow(/inside a section/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('systemd/m2m-bridge@.service (one instance per modem)', () => {
  it('runs `m2m-bridge run --instance %i` with a state directory of its own per instance', () => {
    expect(last(template, 'Service', 'ExecStart')).toMatch(/ m2m-bridge run --instance %i$/);
    expect(last(template, 'Service', 'StateDirectory')).toBe('m2m-bridge/%i');
    expect(last(template, 'Service', 'WorkingDirectory')).toBe('/var/lib/m2m-bridge/%i');
    expect(last(template, 'Unit', 'Description')).toContain('%i');
  });

  it('does not restart on a conflict with another instance (73), an invalid config (78) or a journal (65)', () => {
    expect(last(template, 'Service', 'Restart')).toBe('always');
    expect(last(template, 'Service', 'RestartPreventExitStatus')?.split(/\s+/).sort()).toEqual(
      [String(EXIT.conflict), String(EXIT.journal), String(EXIT.config)].sort(),
    );
  });

  it('has exactly the plain unit’s hardening and limits: only the per-instance lines differ', () => {
    const differing = new Set(['ExecStart', 'StateDirectory', 'WorkingDirectory']);
    for (const section of ['Service', 'Install'] as const) {
      for (const [key, values] of unit.get(section) ?? []) {
        if (differing.has(key)) continue;
        expect(template.get(section)?.get(key), `${section}.${key}`).toEqual(values);
      }
      expect([...(template.get(section)?.keys() ?? [])].sort()).toEqual([...(unit.get(section)?.keys() ?? [])].sort());
    }
  });

  it(`an instance passes systemd-analyze verify and rates OK (exposure < 2.0)${haveAnalyze ? '' : ' (systemd-analyze missing: parsed only)'}`, () => {
    if (!haveAnalyze) {
      expect(template.has('Install')).toBe(true);
      return;
    }
    withInstance((instancePath) => {
      const verify = spawnSync('systemd-analyze', ['verify', instancePath], { encoding: 'utf8' });
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stderr.trim(), 'verify printed warnings').toBe('');
      const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', instancePath], {
        encoding: 'utf8',
      });
      expect(security.status, security.stderr).toBe(0);
      const m = /Overall exposure level for m2m-bridge@lte1\.service: ([\d.]+) (\w+)/.exec(security.stdout);
      expect(m, security.stdout.slice(-500)).not.toBeNull();
      expect(['OK', 'SAFE', 'PERFECT']).toContain(m![2]);
      expect(Number(m![1])).toBeLessThan(2);
    });
  });
});
