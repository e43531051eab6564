// Preloaded with `node --import` into a process under test: every module the process imports (ESM resolution, which
// includes every npm package our code imports) is appended, one URL a line, to the file in M2M_TRACE_MODULES. The
// resolve hook runs on Node's loader thread, so the process itself changes in nothing but that file.
import { register } from 'node:module';

const file = process.env.M2M_TRACE_MODULES;
if (file) register('./hooks.mjs', import.meta.url, { data: { file } });
