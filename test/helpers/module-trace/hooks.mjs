import { appendFileSync } from 'node:fs';

// The loader hooks that register.mjs installs. Each line names the process, so a child started with the same
// NODE_OPTIONS (the daemon's config loader) can be told apart.
let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(file, `${process.pid} ${resolved.url}\n`);
  return resolved;
}
