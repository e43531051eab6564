import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';
import { cliPath, runCli } from '../helpers/cli.js';

// The technician's reflexes with a long journal: `history | head`, and a journal the daemon would refuse.

let dir: string;
let path: string;
const ROWS = 3000; // far more than a pipe buffer holds, so the listing is still being written when head exits

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-history-pipe-'));
  path = join(dir, 'journal.db');
  const journal = openSqliteJournal({ path });
  for (let i = 0; i < ROWS; i++) {
    const payload = { id: `k${i}`, sid: null, mode: 'text', body: `command ${i} ${'x'.repeat(60)}`, from: '2936' };
    journal.recordInbound({
      key: `k${i}`,
      kind: 'command',
      sender: '2936',
      payload: JSON.stringify(payload),
      publish: true,
    });
  }
  journal.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shell(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not finish: ${script}`));
    }, 20_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('m2m-bridge history in a pipe', () => {
  for (const format of ['', '--json']) {
    it(`stops quietly when the reader closes the pipe early (history ${format} | head -2)`, async () => {
      const quoted = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
      const result = await shell(
        `${quoted(process.execPath)} ${quoted(cliPath)} history --limit ${ROWS} ${format} --store-path ${quoted(path)} | head -2`,
      );
      expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(2);
    });
  }
});

describe('m2m-bridge history on a damaged journal', () => {
  it('warns that the daemon would refuse it, and still lists what it can read', async () => {
    const damaged = join(dir, 'damaged.db');
    const copy = await shell(`cp '${path}' '${damaged}'`);
    expect(copy.code).toBe(0);
    // Garbage over one page in the middle of the table, as a bad SD card sector would leave it.
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, 4096 * 20);
    closeSync(fd);
    const result = await runCli(['history', '--store-path', damaged, '--limit', '5']);
    expect(result.stderr).toMatch(/warning: journal .*damaged\.db is damaged/);
    expect(result.stderr).toContain('A damaged journal');
    expect(result.stdout).toContain('command 2999');
    expect(result.code).toBe(0);
  });

  it('says nothing of damage on a sound journal', async () => {
    const result = await runCli(['history', '--store-path', path, '--limit', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
