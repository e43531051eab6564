import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal, type SqliteJournal } from '../../src/store/index.js';
import { cliPath } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

// A technician watching a gateway live: `history --follow` beside the running daemon (here: a writer holding the
// journal open in WAL mode, as the daemon does), printing each entry and each change as it is committed.

let dir: string;
let path: string;
let writer: SqliteJournal;
let follower: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-history-follow-'));
  path = join(dir, 'journal.db');
  writer = openSqliteJournal({ path });
});
afterEach(() => {
  follower?.kill('SIGKILL');
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

function command(key: string, body: string) {
  const payload = { id: key, sid: null, mode: 'text', body, from: '2936', parts: 1, partial: false };
  writer.recordInbound({ key, kind: 'command', sender: '2936', payload: JSON.stringify(payload), publish: true });
}

function follow(args: string[]) {
  const child = spawn(process.execPath, [cliPath, 'history', '--follow', '--store-path', path, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  follower = child;
  const out = { text: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out.text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const records = () =>
    out.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, out, exited, records };
}

describe('m2m-bridge history --follow', () => {
  it('lists oldest first, then prints new entries and state changes as they are committed; Ctrl-C ends it (exit 0)', async () => {
    command('old-1', 'first');
    command('old-2', 'second');
    const run = follow(['--json']);
    await waitFor('the listing', () => run.records().length === 2);
    expect(run.records().map((r) => r.id)).toEqual(['old-1', 'old-2']);

    command('new-1', 'open valve');
    await waitFor('the new command', () => run.records().find((r) => r.id === 'new-1' && r.state === 'received'));
    writer.markPublished('new-1');
    await waitFor('its publication', () => run.records().find((r) => r.id === 'new-1' && r.state === 'published'));
    const reply = writer.enqueueReply({
      transaction: 'tx-7',
      destination: '2936',
      mode: 'text',
      body: 'open',
      parts: 1,
    });
    await waitFor('the reply, queued', () =>
      run.records().find((r) => r.transaction === 'tx-7' && r.state === 'queued'),
    );
    writer.markSending(reply.entry.id);
    writer.recordPartSent(reply.entry.id, 0, 12);
    writer.markSent(reply.entry.id);
    await waitFor('the reply, sent', () => run.records().find((r) => r.transaction === 'tx-7' && r.state === 'sent'));

    // Nothing printed twice for an unchanged entry.
    const keys = run.records().map((r) => `${r.id}:${r.state}`);
    expect(new Set(keys).size).toBe(keys.length);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('prints the table header and rows with id and transaction columns', async () => {
    const run = follow([]);
    await waitFor('the header', () => run.out.text.includes('transaction'));
    expect(run.out.text).toMatch(
      /^no entries in .*\ntime \(UTC\)\s+dir\s+id\s+from\/to\s+state\s+transaction\s+body\n$/,
    );
    writer.enqueueReply({ transaction: 'tx-42', destination: '2936', mode: 'text', body: 'hello', parts: 1 });
    await waitFor('the reply row', () => /out\s+\S+\s+2936\s+queued\s+tx-42\s+hello/.test(run.out.text));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
