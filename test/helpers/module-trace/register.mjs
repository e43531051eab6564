// Preloaded with `node --import` into a process under test: every module the process imports (ESM resolution, which
// includes every npm package our code imports) is appended, one URL a line, to the file in M2M_TRACE_MODULES. The
// resolve hook runs on Node's loader thread, so the process itself changes in nothing but that file. At exit the
// Node built-ins the process loaded are added as `builtin:<name>` lines: a package's require() of one, or Node's own
// lazy loading (an IPC channel loads node:v8), never passes through the resolve hook.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const file = process.env.M2M_TRACE_MODULES;
if (file) {
  register('./hooks.mjs', import.meta.url, { data: { file } });
  process.once('exit', () => {
    const builtins = process.moduleLoadList
      .filter((entry) => entry.startsWith('NativeModule ') && !entry.startsWith('NativeModule internal/'))
      .map((entry) => `${process.pid} builtin:${entry.slice('NativeModule '.length)}\n`);
    appendFileSync(file, builtins.join(''));
  });
}
