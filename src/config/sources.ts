import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { closestMatch } from '../util/closest.js';
import type { ConfigIssue, ValueOrigin } from './errors.js';
import { CONFIG_KEYS, configKey, ENV_PREFIX } from './keys.js';

/**
 * The three sources (ARCHITECTURE.md, Config): a YAML file, then `M2M_BRIDGE_<SECTION>_<KEY>` environment variables,
 * then flags. Each becomes a flat map of dotted key → raw value with its origin; later sources override earlier ones
 * key by key. Unknown keys are reported here, with a suggestion when one is close.
 */

interface RawValue {
  value: unknown;
  origin: ValueOrigin;
}

export type FlatValues = Map<string, RawValue>;

interface SourceResult {
  values: FlatValues;
  issues: ConfigIssue[];
}

const SECTION_NAMES = [...new Set(CONFIG_KEYS.map((entry) => entry.section))];

function suggestion(candidates: readonly string[], wrong: string): string {
  const best = closestMatch(candidates, wrong);
  return best === null ? '' : ` (did you mean ${best}?)`;
}

function unknownKeyIssue(key: string, origin: ValueOrigin | null): ConfigIssue {
  const [section] = key.split('.');
  const known = SECTION_NAMES.includes(section as never);
  const candidates = known ? CONFIG_KEYS.filter((e) => e.section === section).map((e) => e.key) : SECTION_NAMES;
  return {
    key,
    message: `unknown ${known || !key.includes('.') ? 'key' : 'section'}${suggestion(candidates, known ? key : (section ?? key))}`,
    origin,
  };
}

/** Parses YAML with the failsafe schema (every scalar a string; see keys.ts coerceValue) and flattens it. */
export function fromYaml(text: string, path: string): SourceResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): ValueOrigin => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { kind: 'file', path, line: pos.line, col: pos.col };
  };
  const values: FlatValues = new Map();
  const issues: ConfigIssue[] = [];
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      issues.push({
        key: null,
        message: `YAML syntax error: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
        origin: at(error.pos[0]),
      });
    }
    return { values, issues };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === '' || root.value === null))) return { values, issues };
  if (!isMap(root)) {
    issues.push({
      key: null,
      message: 'expected a mapping of sections (serial:, mqtt:, …) at the top level',
      origin: at(root.range?.[0]),
    });
    return { values, issues };
  }
  for (const sectionPair of root.items) {
    const section = String(isScalar(sectionPair.key) ? sectionPair.key.value : sectionPair.key);
    const sectionOrigin = at(isScalar(sectionPair.key) ? sectionPair.key.range?.[0] : undefined);
    if (!SECTION_NAMES.includes(section as never)) {
      issues.push(unknownKeyIssue(section, sectionOrigin));
      continue;
    }
    const body = sectionPair.value;
    if (body === null || (isScalar(body) && (body.value === '' || body.value === null))) continue;
    if (!isMap(body)) {
      issues.push({ key: section, message: 'expected a mapping of keys', origin: sectionOrigin });
      continue;
    }
    for (const pair of body.items) {
      const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const key = `${section}.${name}`;
      const origin = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      if (!configKey(key)) {
        issues.push(unknownKeyIssue(key, origin));
        continue;
      }
      const node = pair.value;
      const value = isSeq(node) || isMap(node) ? node.toJSON() : isScalar(node) ? node.value : undefined;
      // `key:` with nothing after it means "not set" (so the default applies), as in most YAML configs.
      if (value === undefined || value === null || value === '') continue;
      values.set(key, { value, origin });
    }
  }
  return { values, issues };
}

/**
 * `M2M_BRIDGE_<SECTION>_<KEY>`. Variables whose section is not one of ours (e.g. M2M_BRIDGE_DEBUG) are left alone;
 * an unknown key in a known section is an error, since it is almost certainly a typo. Empty values count as unset
 * (systemd EnvironmentFile= lines like `M2M_BRIDGE_MODEM_PIN=`).
 */
export function fromEnv(env: NodeJS.ProcessEnv): SourceResult {
  const values: FlatValues = new Map();
  const issues: ConfigIssue[] = [];
  const byEnv = new Map(CONFIG_KEYS.map((entry) => [entry.env, entry]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || value === '') continue;
    const entry = byEnv.get(name);
    const origin: ValueOrigin = { kind: 'env', name };
    if (entry) {
      values.set(entry.key, { value, origin });
      continue;
    }
    const rest = name.slice(ENV_PREFIX.length).toLowerCase();
    const section = SECTION_NAMES.find((candidate) => rest.startsWith(`${candidate}_`));
    if (section) issues.push(unknownKeyIssue(`${section}.${rest.slice(section.length + 1)}`, origin));
  }
  return { values, issues };
}

/**
 * Flags as the CLI passes them: dotted keys (`{"serial.path": "/dev/ttyUSB2"}`). `names` says how the user wrote
 * each one (`{"log.level": "--log-level"}`), so an error points at a flag that exists; a key without a name came
 * from `--set KEY=VALUE`.
 */
export function fromFlags(
  flags: Readonly<Record<string, unknown>>,
  names: Readonly<Record<string, string>> = {},
): SourceResult {
  const values: FlatValues = new Map();
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const origin: ValueOrigin = { kind: 'flag', name: names[key] ?? `--set ${key}=…` };
    if (configKey(key)) values.set(key, { value, origin });
    else issues.push(unknownKeyIssue(key, origin));
  }
  return { values, issues };
}
