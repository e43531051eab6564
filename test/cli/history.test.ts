import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { openSqliteJournal, type SqliteJournal } from '../../src/store/index.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { readableCopy } from '../helpers/readable-copy.js';

let dir: string;
let path: string;
let time: number;
let writer: SqliteJournal;

const HOUR = 3_600_000;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-history-'));
  path = join(dir, 'journal.db');
  time = Date.now() - 5 * HOUR;
  // The daemon's side: a writer holding the journal open in WAL mode for the whole test.
  writer = openSqliteJournal({ path, now: () => time });
});
afterEach(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

function command(key: string, body: string, publish = true) {
  const payload = { id: key, sid: null, mode: 'text', body, from: '2936', parts: 1, partial: false };
  writer.recordInbound({ key, kind: 'command', sender: '2936', payload: JSON.stringify(payload), publish });
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('m2m-bridge history', () => {
  it('lists commands in and replies out, newest first, as JSON lines, beside a running writer', async () => {
    command('c1', 'open valve');
    writer.markPublished('c1');
    time += HOUR;
    const reply = writer.enqueueReply({
      transaction: 'tx-9',
      destination: '2936',
      mode: 'text',
      body: 'valve open',
      parts: 1,
    });
    time += HOUR;
    command('c2', 'status?', true); // not published yet: still shown, state received
    writer.recordInbound({
      key: 'r1',
      kind: 'rejected',
      sender: '+4917000',
      payload: JSON.stringify({ id: 'r1', reason: 'sender not allowed', body: 'spam' }),
      publish: false,
    });

    const result = await runCli(['history', '--store-path', path, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const records = lines(result.stdout);
    // Same millisecond: journal order, newest first.
    expect(records.map((r) => r.id)).toEqual(['r1', 'c2', reply.entry.id, 'c1']);
    expect(records[3]).toMatchObject({
      direction: 'in',
      kind: 'command',
      state: 'published',
      from: '2936',
      mode: 'text',
      body: 'open valve',
    });
    expect(records[2]).toMatchObject({
      direction: 'out',
      kind: 'reply',
      state: 'queued',
      to: '2936',
      body: 'valve open',
      transaction: 'tx-9',
      error: null,
    });
    expect(records[0]).toMatchObject({
      kind: 'rejected',
      state: 'kept',
      from: '+4917000',
      reason: 'sender not allowed',
    });
    expect(records[1]).toMatchObject({ id: 'c2', state: 'received', at: new Date(time).toISOString() });

    // The writer keeps committing while nobody restarts anything: the next read sees it.
    time += 1000;
    command('c3', 'later');
    const again = lines((await runCli(['history', '--store-path', path, '--json', '--limit', '1'])).stdout);
    expect(again.map((r) => r.id)).toEqual(['c3']);
  });

  it('filters by direction, by --since (a duration or a time) and by --limit', async () => {
    command('old', 'five hours ago');
    time += 4 * HOUR;
    command('recent', 'one hour ago');
    writer.enqueueReply({ transaction: null, destination: '2936', mode: 'text', body: 'pong', parts: 1 });

    const ids = async (...args: string[]) =>
      lines((await runCli(['history', '--store-path', path, '--json', ...args])).stdout).map((r) => r.body);
    expect(await ids('--direction', 'in')).toEqual(['one hour ago', 'five hours ago']);
    expect(await ids('--direction', 'out')).toEqual(['pong']);
    expect(await ids('--since', '2h')).toEqual(['one hour ago', 'pong']);
    expect(await ids('--since', new Date(time - 60_000).toISOString())).toEqual(['one hour ago', 'pong']);
    expect(await ids('--limit', '1', '--direction', 'in')).toEqual(['one hour ago']);
  });

  it("pages past the journal's 1000-entry query limit without skipping or repeating entries", async () => {
    // 1501 commands in pairs sharing a millisecond; the first page of 1000 ends between k501 and k500, a pair.
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO inbox (key, kind, sender, payload, state, received_at, published_at)
       VALUES (?, 'command', '2936', ?, 'published', ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 1501; i++) {
        const at = time + Math.floor(i / 2) * 1000;
        insert.run(`k${i}`, JSON.stringify({ body: `n${i}` }), at, at);
      }
    })();
    db.close();
    const result = await runCli(['history', '--store-path', path, '--json', '--limit', '1400']);
    const ids = lines(result.stdout).map((r) => r.id as string);
    expect(ids).toHaveLength(1400);
    expect(new Set(ids).size).toBe(1400);
    expect(ids.slice(0, 2)).toEqual(['k1500', 'k1499']);
    expect(ids.at(-1)).toBe('k101');
    expect(ids).toContain('k500');
  });

  it('prints a readable table without --json', async () => {
    command('c1', 'reboot now');
    writer.enqueueReply({ transaction: 't', destination: '2936', mode: 'text', body: 'rebooting', parts: 1 });
    const result = await runCli(['history', '--store-path', path]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^time \(UTC\)\s+dir\s+id\s+from\/to\s+state\s+transaction\s+body$/);
    expect(rows).toHaveLength(2);
    expect(rows.join('\n')).toMatch(/in\s+c1\s+2936\s+received\s+-\s+reboot now/);
    expect(rows.join('\n')).toMatch(/out\s+[0-9a-f]{8}-[0-9a-f]{2}…\s+2936\s+queued\s+t\s+rebooting/);
  });

  it('takes the journal path from the daemon config', async () => {
    command('c1', 'from config');
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `serial:\n  path: /dev/null\nstore:\n  path: ${path}\n`, { mode: 0o600 });
    const result = await runCli(['history', '--config', config, '--json']);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toMatchObject({ body: 'from config' });
  });

  it('says clearly when the journal is not readable by this user', async () => {
    command('c1', 'secret');
    // As root every file is readable: run the binary as `nobody` then, as a technician without sudo would.
    const root = process.getuid?.() === 0;
    chmodSync(dir, 0o755);
    chmodSync(path, root ? 0o600 : 0o000);
    const asUser = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    // nobody may not enter the checkout (a 0700 home directory): it runs a copy of the build it can read.
    const build = root ? readableCopy() : undefined;
    onTestFinished(() => build?.remove());
    const binary = build ? build.path('dist/cli.js') : cliPath;
    const [file, ...args] = [...asUser, process.execPath, binary, 'history', '--store-path', path];
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(file!, args, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /journal\.db: not readable by this user \(uid \d+\); join the daemon's group \(sudo usermod -aG m2m-bridge/,
    );
  });

  it('says clearly when the journal is missing, is not a journal, or the arguments are wrong', async () => {
    const missing = await runCli(['history', '--store-path', join(dir, 'none.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/none\.db: no such file \(has the daemon run yet\?/);

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just text that is long enough to have a header '.repeat(20));
    const corrupt = await runCli(['history', '--store-path', junk]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/junk\.db: not a journal file or damaged/);

    const badSince = await runCli(['history', '--store-path', path, '--since', 'yesterday']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toMatch(/--since: expected a duration like 2h/);
    const badDirection = await runCli(['history', '--store-path', path, '--direction', 'up']);
    expect(badDirection.code).toBe(2);
    expect(badDirection.stderr).toMatch(/--direction: expected in or out, got "up"/);
  });
});
