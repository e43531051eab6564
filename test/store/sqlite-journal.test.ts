import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteJournal } from '../../src/store/index.js';
import { journalContract } from './journal.contract.js';

journalContract('SqliteJournal on a file', (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-journal-'));
  const path = join(dir, 'journal.db');
  let journal = openSqliteJournal({ path, now: clock.now });
  return {
    journal,
    reopen() {
      journal.close();
      journal = openSqliteJournal({ path, now: clock.now });
      return journal;
    },
    cleanup() {
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
