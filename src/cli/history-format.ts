import type { HistoryItem } from '../store/index.js';

/** How `m2m-bridge history` shows journal entries: JSON records (the CLI contract, snake_case) and table rows. */

function parsePayload(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One history entry as a JSON line (the CLI contract: snake_case). */
export function historyRecord(item: HistoryItem): Record<string, unknown> {
  if (item.direction === 'inbound') {
    const e = item.entry;
    const payload = parsePayload(e.payload);
    return {
      direction: 'in',
      at: new Date(item.at).toISOString(),
      id: e.key,
      kind: e.kind,
      state: e.state,
      from: e.sender,
      mode: payload.mode ?? null,
      body: payload.body ?? null,
      sid: payload.sid ?? null,
      reason: payload.reason ?? null,
      published_at: e.published_at === null ? null : new Date(e.published_at).toISOString(),
    };
  }
  const e = item.entry;
  return {
    direction: 'out',
    at: new Date(item.at).toISOString(),
    id: e.id,
    kind: 'reply',
    state: e.state,
    to: e.destination,
    mode: e.mode,
    body: e.body,
    transaction: e.transaction,
    parts: e.parts,
    attempts: e.attempts,
    error: e.error,
    updated_at: new Date(e.updated_at).toISOString(),
  };
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** The table's columns; `id` is cut to 12 characters (enough to tell entries apart, and to grep --json output). */
export const TABLE_HEADER = `${'time (UTC)'.padEnd(20)}  dir  ${'id'.padEnd(12)}  ${'from/to'.padEnd(14)}  ${'state'.padEnd(17)}  ${'transaction'.padEnd(12)}  body`;

export function tableRow(record: Record<string, unknown>): string {
  const time = String(record.at)
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  const dir = record.direction === 'in' ? 'in ' : 'out';
  const id = clip(String(record.id ?? ''), 12);
  const peer = String(record.direction === 'in' ? (record.from ?? '') : (record.to ?? ''));
  const state = record.kind === 'rejected' ? `rejected/${record.state}` : String(record.state);
  const transaction = clip(String(record.transaction ?? '-'), 12);
  const error = record.error as { code?: string } | null | undefined;
  const text = record.body ?? record.reason ?? '';
  const body = `${record.mode === 'binary' ? '[binary] ' : ''}${String(text)}${error?.code ? `  (${error.code})` : ''}`;
  return `${time}  ${dir}  ${id.padEnd(12)}  ${clip(peer, 14).padEnd(14)}  ${state.padEnd(17)}  ${transaction.padEnd(12)}  ${clip(body, 60)}`;
}
