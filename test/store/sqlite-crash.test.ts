import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';

// The child runs the BUILT journal (npm test builds first), so this checks what ships.
const distStore = new URL('../../dist/src/store/index.js', import.meta.url);
const writer = fileURLToPath(new URL('./fixtures/journal-writer.mjs', import.meta.url));

/** Starts a writer, waits until it has reported `atLeast` committed indexes, SIGKILLs it; resolves to those indexes. */
function runAndKill(path: string, atLeast: number, extraDelayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [writer, distStore.href, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: number[] = [];
    let buffered = '';
    let stderr = '';
    let killing = false;
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer reported ${committed.length} commits in 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) committed.push(Number(line));
      if (!killing && committed.length >= atLeast) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (${String(signal)}); stderr: ${stderr}`));
      else resolve(committed);
    });
  });
}

describe('SqliteJournal: a writer SIGKILLed mid-write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-journal-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Five child processes doing fsyncs: generous on a loaded two-core CI machine.
  it('leaves a consistent file holding every commit it reported, across five kills', { timeout: 120_000 }, async () => {
    expect(existsSync(distStore), 'run `npm run build` first: the child process uses dist/').toBe(true);
    const path = join(dir, 'journal.db');
    const reported = new Set<number>();
    for (let round = 0; round < 5; round++) {
      // Kill at a different moment each round: after 30..150 commits, plus 0..9 ms.
      const indexes = await runAndKill(path, 30 + round * 30, (round * 7) % 10);
      for (const index of indexes) reported.add(index);
    }
    const journal = openSqliteJournal({ path });
    try {
      expect(journal.integrityCheck()).toBe('ok');
      journal.recoverInterrupted('fail');
      const highest = Math.max(...reported);
      for (const index of reported) expect(journal.getInbound(`in-${index}`), `in-${index}`).not.toBeNull();
      // No gaps: every index up to the highest reported one is there (each child resumed where the last one died).
      let present = 0;
      while (journal.getInbound(`in-${present}`) !== null) present++;
      expect(present).toBeGreaterThan(highest);
      // Every reported reply was sent; an unreported one is sent, failed as interrupted, or still queued.
      const replies = journal.history({ direction: 'outbound', limit: 1000 }).map((item) => item.entry);
      const byTransaction = new Map(replies.map((entry) => [(entry as { transaction: string }).transaction, entry]));
      for (const index of reported)
        expect(byTransaction.get(`t-${index}`), `t-${index}`).toMatchObject({ state: 'sent' });
      for (const entry of replies) expect(['sent', 'failed', 'queued']).toContain((entry as { state: string }).state);
      expect(journal.counts().outbox_sending).toBe(0);
    } finally {
      journal.close();
    }
  });
});
