import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';

// What `systemctl`, a closed SSH session and journald do to the daemon: SIGHUP must not end it, and under systemd
// each log line carries its syslog priority so `journalctl -p warning` finds the warnings.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-signals-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGHUP', () => {
  let rig: ProcessRig | undefined;
  afterEach(async () => {
    await rig?.close();
  });

  it('reloads the config without stopping: the daemon keeps publishing Commands, then stops cleanly on SIGTERM', async () => {
    rig = await startProcessRig({ base: 'hup', dirPrefix: 'm2m-signals-' });
    const { app, daemon, sim } = rig;
    await app.waitFor(
      'modem ready',
      (m) => m.topic === 'hup/modem/state' && JSON.parse(m.text).status === 'ready',
      30_000,
    );
    daemon.child.kill('SIGHUP');
    await daemon.waitForLog('the reload logged', (line) => String(line.msg).startsWith('config reloaded'));
    sim.modem.injectSms({ from: '2936', text: 'after the hang-up' });
    const received = await app.waitFor(
      'the command published after SIGHUP',
      (m) => m.topic === 'hup/command/received' && JSON.parse(m.text).body === 'after the hang-up',
      20_000,
    );
    expect(received).toBeDefined();
    expect(await daemon.signal('SIGTERM')).toBe(0);
  });
});

/** Runs `m2m-bridge run` with stdout to a file and resolves with the exit code and the file's lines. */
function runToFile(config: string, journalStream: (out: string) => string | undefined) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(out, '');
  const value = journalStream(out);
  const fd = openSync(out, 'a');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.JOURNAL_STREAM;
  if (value !== undefined) env.JOURNAL_STREAM = value;
  const child = spawn(process.execPath, [cliPath, 'run', '--config', config], { env, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  return new Promise<{ code: number | null; lines: string[] }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('m2m-bridge run did not exit within 15 s'));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: readFileSync(out, 'utf8').split('\n').filter(Boolean) });
    });
  });
}

describe('log priorities for journald', () => {
  // A start that logs a warning (a world-readable PIN file) and then a fatal error (the journal's directory is
  // missing), with info lines around them: one run shows every level that matters.
  function failingConfig(): string {
    const pin = join(dir, 'pin');
    writeFileSync(pin, '1234\n', { mode: 0o644 });
    const config = join(dir, 'failing.yaml');
    writeFileSync(
      config,
      `serial:\n  path: /dev/null\nmqtt:\n  url: mqtt://127.0.0.1:1\nstore:\n  path: ${join(dir, 'missing', 'journal.db')}\nmodem:\n  pin_file: ${pin}\n`,
      { mode: 0o600 },
    );
    return config;
  }
  const identity = (path: string) => {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  };

  it('starts each line with <priority> when stdout is the journal stream systemd names in JOURNAL_STREAM', async () => {
    const { code, lines } = await runToFile(failingConfig(), identity);
    expect(code).toBe(1);
    const byPriority = lines.map((line) => {
      const match = /^<(\d)>(\{.*)$/.exec(line);
      expect(match, `line without a priority prefix: ${line}`).not.toBeNull();
      return { priority: Number(match![1]), entry: JSON.parse(match![2]!) as { level: number; msg: string } };
    });
    const warning = byPriority.find((l) => l.entry.msg.includes('readable by every user'));
    const fatal = byPriority.find((l) => l.entry.msg.startsWith('could not start'));
    expect(warning?.priority).toBe(4);
    expect(fatal?.priority).toBe(2);
    for (const { priority, entry } of byPriority) {
      const expected = { 60: 2, 50: 3, 40: 4, 30: 6, 20: 7, 10: 7 }[entry.level];
      expect(priority).toBe(expected);
    }
  });

  it('writes plain JSON lines when JOURNAL_STREAM names another stream (inherited from a parent under systemd)', async () => {
    const { code, lines } = await runToFile(failingConfig(), () => '1:1');
    expect(code).toBe(1);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
