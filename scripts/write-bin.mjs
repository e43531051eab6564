// The bin entry must be dist/cli.js (package.json), while tsc keeps the source tree's shape (dist/src/...).
// This writes the one-line executable shim that points at the compiled CLI.
import { chmodSync, writeFileSync } from 'node:fs';

const target = new URL('../dist/cli.js', import.meta.url);
writeFileSync(target, "#!/usr/bin/env node\nimport './src/cli/bin.js';\n");
chmodSync(target, 0o755);
