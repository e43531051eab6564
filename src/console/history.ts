import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The console's command history in a file (one line per command, newest first, as node:readline keeps it), so the
 * up-arrow still finds yesterday's commands. A missing or unreadable file is an empty history, never an error.
 */
export function loadHistory(path: string | null, max = 500): string[] {
  if (path === null) return [];
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(0, max);
  } catch {
    return [];
  }
}

export function saveHistory(path: string | null, history: readonly string[], max = 500): string | null {
  if (path === null) return null;
  try {
    writeFileSync(path, `${history.slice(0, max).join('\n')}\n`, { mode: 0o600 });
    return null;
  } catch (error) {
    return `could not save the history to ${path}: ${(error as Error).message}`;
  }
}
