import { setTimeout as sleep } from 'node:timers/promises';
import type { HistoryItem, SqliteJournal } from '../store/index.js';
import { historyRecord } from './history-format.js';

interface FollowOptions {
  journal: SqliteJournal;
  direction: 'inbound' | 'outbound' | undefined;
  /** How often the journal is read again (it is a file: there is nothing to wait on). */
  intervalMs: number;
  print(record: Record<string, unknown>): void;
  /** Ends the loop (Ctrl-C, a closed pipe). */
  signal: AbortSignal;
}

/** How many of the newest entries each read looks at: a reply older than that changing state is not shown. */
const WINDOW = 1000;

const idOf = (item: HistoryItem) => (item.direction === 'inbound' ? `in:${item.entry.key}` : `out:${item.entry.id}`);

/** What makes an entry worth printing again: a command published, a reply sent, retried, delivered or failed. */
function versionOf(item: HistoryItem): string {
  if (item.direction === 'inbound') return item.entry.state;
  return `${item.entry.state}:${item.entry.attempts}:${item.entry.updated_at}`;
}

/**
 * `history --follow`, like `tail -f`: after the listing, prints each new entry and each change of state as it lands in
 * the journal, oldest first, until stopped. Reads the journal read-only, so the daemon is never held up.
 */
export async function followHistory(options: FollowOptions): Promise<void> {
  const seen = new Map<string, string>();
  const read = () => options.journal.history({ limit: WINDOW, direction: options.direction });
  for (const item of read()) seen.set(idOf(item), versionOf(item));
  while (!options.signal.aborted) {
    try {
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    } catch {
      return; // aborted while waiting
    }
    const changed = read()
      .filter((item) => seen.get(idOf(item)) !== versionOf(item))
      .reverse();
    for (const item of changed) {
      seen.set(idOf(item), versionOf(item));
      options.print(historyRecord(item));
    }
  }
}
