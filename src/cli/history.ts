import { accessSync, constants, existsSync } from 'node:fs';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../config/index.js';
import { type HistoryItem, JournalError, openSqliteJournal } from '../store/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { followHistory } from './history-follow.js';
import { historyRecord, TABLE_HEADER, tableRow } from './history-format.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';

const DEFAULT_STORE = '/var/lib/m2m-bridge/journal.db';

const usage = `Usage: m2m-bridge history [--since 2h|2026-11-27T10:00Z] [--direction in|out] [--limit N] [--json]
                          [--config FILE | --instance NAME | --store-path FILE]

Lists commands received from the modem (in) and replies sent to it (out), newest first, from the journal. Reads the
journal read-only, so it is safe beside a running daemon.

Options:
  --since WHEN       only entries from then on: a duration back from now (45s, 30m, 2h, 7d) or an ISO 8601 time
  --direction DIR    in (commands and rejected SMS from the modem) or out (replies)
  --limit N          at most N entries (default 50)
  --json             one JSON object per line (snake_case), for scripts
  --follow           list oldest first, then keep running and print each new entry and each change of state
                     (published, sent, delivered, failed) as the daemon writes it; Ctrl-C stops
  --config FILE      take store.path from the daemon's config (default ${DEFAULT_CONFIG_PATH} when it exists)
  --instance NAME    the journal of one modem's daemon (its config /etc/m2m-bridge/NAME.yaml; M2M_BRIDGE_CONFIG_DIR moves it)
  --store-path FILE  the journal file itself (default ${DEFAULT_STORE})
`;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: a duration back from now, or an absolute ISO 8601 time (a bare date is midnight UTC). */
function parseSince(text: string, now: number): number {
  const duration = /^(\d+)\s*([smhdw])$/i.exec(text.trim());
  if (duration) return now - Number(duration[1]) * (UNITS[duration[2]!.toLowerCase()] ?? 0);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) return at;
  }
  throw new UsageError(`--since: expected a duration like 2h or 30m, or a time like 2026-11-27T10:00Z, got "${text}"`);
}

function storePath(values: { config?: string; instance?: string; 'store-path'?: string }, io: CliIo): string {
  const choice = configChoice(values, io.env);
  if (choice.configPath && values['store-path'])
    throw new UsageError('use --config (or --instance) or --store-path, not both');
  if (values['store-path']) return values['store-path'];
  const configPath = choice.configPath ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : null);
  if (configPath === null) return io.env.M2M_BRIDGE_STORE_PATH || DEFAULT_STORE;
  return loadConfig({ configPath, env: io.env, flags: choice.flags }).config.store.path;
}

/**
 * Says why the journal cannot be read before SQLite does: its own message for a permission problem is "unable to open
 * database file", and a directory the user may not enter looks like a missing file.
 */
function unreadable(path: string): string | null {
  try {
    accessSync(path, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return `journal ${path}: no such file (has the daemon run yet? set the file with --store-path or --config)`;
    if (code === 'EACCES' || code === 'EPERM')
      return `journal ${path}: not readable by this user (uid ${process.getuid?.() ?? '?'}); join the daemon's group (sudo usermod -aG m2m-bridge $USER, then log in again), run it as the daemon's user (sudo -u m2m-bridge …) or with sudo`;
    return null;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      since: { type: 'string' },
      direction: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      follow: { type: 'boolean' },
      config: { type: 'string' },
      ...INSTANCE_OPTION,
      'store-path': { type: 'string' },
    },
    false,
  );
  const since = values.since === undefined ? null : parseSince(values.since, Date.now());
  if (values.direction !== undefined && values.direction !== 'in' && values.direction !== 'out')
    throw new UsageError(`--direction: expected in or out, got "${values.direction}"`);
  const direction = values.direction === 'in' ? 'inbound' : values.direction === 'out' ? 'outbound' : undefined;
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw new UsageError(`--limit: expected a whole number 1..100000, got "${values.limit}"`);

  let path: string;
  try {
    path = storePath(values, io);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`m2m-bridge history: ${error.message}\n`);
    return 1;
  }
  const problem = unreadable(path);
  if (problem !== null) {
    io.stderr.write(`m2m-bridge history: ${problem}\n`);
    return 1;
  }
  let journal: ReturnType<typeof openSqliteJournal>;
  try {
    journal = openSqliteJournal({ path, readonly: true, busyTimeoutMs: 2000 });
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    io.stderr.write(`m2m-bridge history: ${error.message}\n`);
    return 1;
  }
  try {
    const damage = journalDamage(journal);
    if (damage !== null)
      io.stderr.write(
        `m2m-bridge history: warning: journal ${path} is damaged (${damage}); rows may be missing below, and ` +
          '`m2m-bridge run` refuses this journal: see "A damaged journal" in the README\n',
      );
    const records = collect(journal, { since, direction, limit }).map(historyRecord);
    // Followed, the listing reads like `tail -f`: oldest first, so what arrives next prints right below the newest.
    if (values.follow) records.reverse();
    const print = (record: Record<string, unknown>) =>
      values.json ? writeJsonLine(io.stdout, record) : io.stdout.write(`${tableRow(record)}\n`);
    if (records.length === 0 && !values.json) {
      io.stdout.write(`no entries${since === null ? '' : ` since ${new Date(since).toISOString()}`} in ${path}\n`);
      if (values.follow) io.stdout.write(`${TABLE_HEADER}\n`);
    } else {
      if (!values.json) io.stdout.write(`${TABLE_HEADER}\n`);
      for (const record of records) print(record);
    }
    if (values.follow) {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await followHistory({ journal, direction, intervalMs: 500, print, signal: stop.signal });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
    return 0;
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    io.stderr.write(`m2m-bridge history: ${error.message}\n`);
    return 1;
  } finally {
    journal.close();
  }
}

/** What the daemon's start-up check would say of this journal, or null when it is sound. */
function journalDamage(journal: ReturnType<typeof openSqliteJournal>): string | null {
  try {
    const check = journal.quickCheck();
    return check === 'ok' ? null : `quick_check: ${check.slice(0, 200)}`;
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    return error.message;
  }
}

/**
 * Pages through the journal newest first (history() returns at most 1000 per call). `before` is exclusive, so a page
 * continues at its oldest time + 1 ms and drops what it already saw: entries sharing a millisecond are never skipped.
 */
function collect(
  journal: ReturnType<typeof openSqliteJournal>,
  q: { since: number | null; direction: 'inbound' | 'outbound' | undefined; limit: number },
): HistoryItem[] {
  const out: HistoryItem[] = [];
  const seen = new Set<string>();
  const idOf = (item: HistoryItem) => (item.direction === 'inbound' ? `in:${item.entry.key}` : `out:${item.entry.id}`);
  let before: number | undefined;
  for (;;) {
    const page = journal.history({ limit: 1000, ...(before === undefined ? {} : { before }), direction: q.direction });
    let added = 0;
    for (const item of page) {
      if (q.since !== null && item.at < q.since) return out;
      if (seen.has(idOf(item))) continue;
      seen.add(idOf(item));
      out.push(item);
      added += 1;
      if (out.length >= q.limit) return out;
    }
    if (page.length < 1000 || added === 0) return out;
    before = page[page.length - 1]!.at + 1;
  }
}

export const command: CliCommand = {
  usage,
  run,
};
