import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Which room may import which. This table mirrors the "Rooms" table of docs/ARCHITECTURE.md (the document is the
 * prose; this is what holds): change both together. Arrows point down the stack only, so `sms` knows nothing of AT,
 * `at` nothing of SMS, and the bridge nothing of the serial port.
 */
const ROOMS: Record<string, { what: string; mayImport: string[] }> = {
  'src/sms': { what: 'the pure 3GPP SMS codec', mayImport: [] },
  'src/util': { what: 'waitress, mutex, clock, logger factory', mayImport: [] },
  'src/at': { what: 'the AT channel and its transports', mayImport: ['src/util'] },
  'src/modem': { what: 'modem semantics on top of AT and the codec', mayImport: ['src/at', 'src/sms', 'src/util'] },
  'src/store': { what: 'the durable journal', mayImport: ['src/util'] },
  'src/commands': { what: 'M2M Command semantics (pure)', mayImport: ['src/sms'] },
  'src/bridge': { what: 'the MQTT side', mayImport: ['src/commands', 'src/store', 'src/util'] },
  'src/wireless': { what: 'the Wireless API client', mayImport: ['src/util'] },
  'src/ip': { what: 'the UDP transport of Super SIM IP Commands', mayImport: ['src/util'] },
  'src/config': { what: 'config loading and validation', mayImport: ['src/util'] },
  // The technician console (`m2m-bridge at`): a REPL straight on the port (framer, transports, timeouts of src/at)
  // or through the daemon's `bridge/request/at`; it explains final results and PDUs (src/sms). Not in the
  // architecture document's table yet: assigned here.
  // The console explains +CSQ/+CREG/+COPS answers with the driver's own pure parsers (src/modem/parsers), so the
  // console and modem/state read a line the same way.
  'src/console': { what: 'the technician console', mayImport: ['src/at', 'src/sms', 'src/modem', 'src/util'] },
  'src/daemon': {
    what: 'the composition root',
    mayImport: [
      'src/sms',
      'src/util',
      'src/at',
      'src/modem',
      'src/store',
      'src/commands',
      'src/bridge',
      'src/wireless',
      'src/config',
      'src/ip',
    ],
  },
  'src/cli': { what: 'the subcommands', mayImport: ['*'] },
  // Both device rooms may use src/util (nothing domain-specific in it): the simulator and the emulator isolate their
  // event listeners with the product's one helper instead of a copy of it. (ARCHITECTURE.md lists src/sms only.)
  // device/modem also reads src/at's result-code table (error-codes.ts), so the texts it prints for AT+CMEE=2 are
  // the ones the driver recognises. (ARCHITECTURE.md lists src/sms only.)
  'device/modem': { what: 'the AT modem simulator', mayImport: ['src/sms', 'src/util', 'src/at'] },
  'device/network': {
    what: 'the Wireless API emulator',
    // src/wireless for the API's own enumerations (sim-status.ts), so client and emulator share one list.
    mayImport: ['device/modem', 'src/sms', 'src/commands', 'src/util', 'src/wireless'],
  },
};

/** Imports that cross a rule on purpose, each with its reason. Only type-only imports may be listed. */
const EXCEPTIONS: { from: string; to: string; typeOnly: true; reason: string }[] = [
  {
    from: 'src/bridge',
    to: 'src/sms',
    typeOnly: true,
    reason:
      'the inbound intake names the decoded SMS the driver hands over (DecodedSms …) to pass them to src/commands; ' +
      'no codec code runs in the bridge, and the types are erased at build time',
  },
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function roomOf(path: string): string | undefined {
  return Object.keys(ROOMS).find((room) => path === room || path.startsWith(`${room}/`));
}

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

/** Every relative import and re-export of a file: static, side-effect and dynamic, over several lines too. */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return; // packages and node: built-ins
    const target = relative(root, normalize(join(root, dirname(file), specifier)))
      .split(sep)
      .join('/');
    found.push({ file, target, typeOnly });
  };
  for (const m of text.matchAll(/\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g))
    add(m[3]!, m[2] !== undefined);
  for (const m of text.matchAll(/\bimport\s+['"]([^'"]+)['"]/g)) add(m[1]!, false);
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, false);
  return found;
}

const files = [...sourceFiles('src'), ...sourceFiles('device')];
const imports = files.flatMap((file) => importsOf(file, readFileSync(join(root, file), 'utf8')));

describe('layering: every import in src/ and device/ follows the rooms table', () => {
  it('every source file lives in a room of the table', () => {
    expect(files.filter((file) => roomOf(file) === undefined)).toEqual([]);
  });

  it('no import crosses into a room it may not use', () => {
    const violations = imports.flatMap(({ file, target, typeOnly }) => {
      const from = roomOf(file)!;
      const to = roomOf(target);
      if (to === from) return [];
      const allowed = ROOMS[from]!.mayImport;
      if (to !== undefined && (allowed.includes('*') || allowed.includes(to))) return [];
      if (to !== undefined && typeOnly && EXCEPTIONS.some((e) => e.from === from && e.to === to)) return [];
      return [`${file} → ${target} (${from} may import ${allowed.join(', ') || 'nothing of ours'})`];
    });
    expect(violations).toEqual([]);
  });

  it('every exception is still needed (remove it once the import is gone)', () => {
    for (const exception of EXCEPTIONS) {
      expect(
        imports.some((i) => roomOf(i.file) === exception.from && roomOf(i.target) === exception.to),
        `${exception.from} → ${exception.to}`,
      ).toBe(true);
    }
  });

  it('the import scanner sees every form of import', () => {
    const text = [
      "import type { A } from '../sms/index.js';",
      "import {\n  b,\n  type C,\n} from '../at/channel.js';",
      "export { d } from './local.js';",
      "import './side-effect.js';",
      "const m = await import('../store/index.js');",
      "import mqtt from 'mqtt';",
    ].join('\n');
    expect(importsOf('src/bridge/x.ts', text)).toEqual([
      { file: 'src/bridge/x.ts', target: 'src/sms/index.js', typeOnly: true },
      { file: 'src/bridge/x.ts', target: 'src/at/channel.js', typeOnly: false },
      { file: 'src/bridge/x.ts', target: 'src/bridge/local.js', typeOnly: false },
      { file: 'src/bridge/x.ts', target: 'src/bridge/side-effect.js', typeOnly: false },
      { file: 'src/bridge/x.ts', target: 'src/store/index.js', typeOnly: false },
    ]);
  });
});
