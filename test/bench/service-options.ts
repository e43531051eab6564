import { readFileSync } from 'node:fs';

/** The NODE_OPTIONS that systemd/m2m-bridge.service gives the daemon (empty when it sets none). */
export function serviceNodeOptions(): string {
  const unit = readFileSync(new URL('../../systemd/m2m-bridge.service', import.meta.url), 'utf8');
  const line = unit.split('\n').find((l) => /^Environment="?NODE_OPTIONS=/.test(l));
  return line ? line.replace(/^Environment="?NODE_OPTIONS=/, '').replace(/"$/, '') : '';
}
