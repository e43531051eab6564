import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this test runs from. */
const checkout = fileURLToPath(new URL('../../', import.meta.url));

/** A copy of the built program (and any extra files) in a directory every user may read and enter. */
export interface ReadableCopy {
  /** The copy's root: it holds dist/, package.json, the runtime node_modules and the extra files. */
  readonly dir: string;
  /** The copy of `pathInCheckout` (relative to the checkout's root, e.g. `dist/cli.js`). */
  path(pathInCheckout: string): string;
  remove(): void;
}

/**
 * Copies what a process running as another user (`nobody`, the service user) needs into a fresh 0755 directory under
 * os.tmpdir(): the built dist/, package.json (the version), the production dependencies from node_modules, and
 * `extraFiles`. The checkout itself may sit where that user cannot enter (a 0700 home directory, as Debian creates
 * them), so a test that switches user must run this copy rather than the files in the checkout.
 */
export function readableCopy(extraFiles: string[] = []): ReadableCopy {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-readable-copy-'));
  chmodSync(dir, 0o755);
  const copy = (from: string, to: string) => {
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true, dereference: true });
  };
  for (const item of ['dist', 'package.json', ...extraFiles]) copy(join(checkout, item), join(dir, item));
  for (const pkg of runtimePackages()) copy(join(checkout, 'node_modules', pkg), join(dir, 'node_modules', pkg));
  // A checkout made under umask 077 has 0600 files and 0700 folders: give everyone read, and search on folders.
  makeReadable(dir);
  return {
    dir,
    path: (pathInCheckout) => join(dir, pathInCheckout),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The top-level folders of node_modules (`pino`, `@scope/name`) that the package's `dependencies` need, found the way
 * Node resolves them: a package's own node_modules first (copied along with it), then the top level.
 */
function runtimePackages(): string[] {
  const topLevel = realpathSync(join(checkout, 'node_modules'));
  const seen = new Set<string>();
  const result = new Set<string>();
  const visit = (packageDir: string) => {
    if (seen.has(packageDir)) return;
    seen.add(packageDir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const found = resolvePackage(packageDir, name, topLevel);
      if (!found) continue; // an optional dependency not installed on this platform
      const inTopLevel = relative(topLevel, found);
      if (inTopLevel.startsWith('..'))
        throw new Error(`readableCopy: ${name} resolves outside node_modules (${found})`);
      // The first path segment(s) below node_modules name the top-level folder that holds it.
      const parts = inTopLevel.split(sep);
      result.add(parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
      visit(found);
    }
  };
  visit(checkout);
  return [...result];
}

function makeReadable(path: string): void {
  const stat = statSync(path);
  chmodSync(path, (stat.mode & 0o7777) | (stat.isDirectory() ? 0o555 : 0o444));
  if (stat.isDirectory()) for (const entry of readdirSync(path)) makeReadable(join(path, entry));
}

function resolvePackage(fromDir: string, name: string, topLevel: string): string | undefined {
  // Walk up from the requiring package, as Node does, but never above the checkout's own node_modules.
  for (let dir = fromDir; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === topLevel || dir === checkout.replace(/[\\/]$/, '')) break;
  }
  const top = join(topLevel, name);
  return existsSync(join(top, 'package.json')) ? realpathSync(top) : undefined;
}
