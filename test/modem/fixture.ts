import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A captured trace in test/fixtures/<device>-<what>.txt: `# ` lines are comments (the source citation) and headers
 * (`# command: AT+CMGR=1`, `# prefix: +CMGR:`); the other lines are the modem's bytes, written with \r, \n and \xNN
 * escapes so the exact line ends survive, concatenated without adding anything.
 */
export interface Fixture {
  name: string;
  command: string | undefined;
  prefix: string | undefined;
  wire: string;
}

export function loadFixture(name: string): Fixture {
  const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
  const headers = new Map<string, string>();
  let wire = '';
  for (const line of text.split('\n')) {
    const h = /^#\s*(command|prefix):\s*(.+)$/.exec(line);
    if (h) headers.set(h[1]!, h[2]!.trim());
    else if (!line.startsWith('#') && line.length > 0) wire += unescapeWire(line);
  }
  return { name, command: headers.get('command'), prefix: headers.get('prefix'), wire };
}

function unescapeWire(line: string): string {
  return line.replace(/\\(r|n|x[0-9a-fA-F]{2})/g, (_, e: string) =>
    e === 'r' ? '\r' : e === 'n' ? '\n' : String.fromCharCode(Number.parseInt(e.slice(1), 16)),
  );
}
