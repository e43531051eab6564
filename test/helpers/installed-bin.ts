import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cliPath } from './cli.js';

/**
 * `m2m-bridge` on PATH as `npm install -g` leaves it: a symlink named m2m-bridge to dist/cli.js (its shebang runs
 * node), in a fresh directory put first on PATH, with node's own directory after it. Nothing from the checkout's
 * node_modules/.bin is on that PATH, so a guide line that needed `npx mqtt` would fail.
 */
export interface InstalledBin {
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function installBin(): InstalledBin {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-bin-'));
  symlinkSync(cliPath, join(dir, 'm2m-bridge'));
  const path = [dir, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  return { env: { ...process.env, PATH: path }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
