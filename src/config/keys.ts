import type * as z from 'zod';
import { SECTIONS, type SectionName } from './schema.js';

/**
 * The flat list of config keys read off the zod schema: what the environment and flag sources accept, how their
 * string values are coerced, and the rows of the reference table. Deriving it keeps one source of truth.
 */

type KeyKind = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'enum' | 'number-choice';

export interface ConfigKey {
  section: SectionName;
  name: string;
  /** `serial.path` */
  key: string;
  /** `M2M_BRIDGE_SERIAL_PATH` */
  env: string;
  kind: KeyKind;
  /** Allowed values for enum and number-choice keys. */
  choices: readonly (string | number)[] | null;
  default: unknown;
  description: string;
}

export const ENV_PREFIX = 'M2M_BRIDGE_';

type AnySchema = z.core.$ZodType & { description?: string };

interface Unwrapped {
  leaf: AnySchema;
  default: unknown;
  description: string;
}

function unwrap(schema: AnySchema): Unwrapped {
  let current = schema;
  let fallback: unknown;
  let description = current.description ?? '';
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: AnySchema; defaultValue?: unknown };
    if ((def.type === 'default' || def.type === 'prefault') && fallback === undefined) fallback = def.defaultValue;
    if (!def.innerType || !['default', 'prefault', 'optional', 'nullable'].includes(def.type)) break;
    current = def.innerType;
    description ||= current.description ?? '';
  }
  return { leaf: current, default: fallback, description };
}

function kindOf(leaf: AnySchema): { kind: KeyKind; choices: readonly (string | number)[] | null } {
  const def = leaf._zod.def as { type: string; entries?: Record<string, string>; values?: unknown[] };
  switch (def.type) {
    case 'number': {
      // z.number().int() carries a safeint format check; a plain z.number() takes fractions (seconds for tests).
      const checks = (def as { checks?: { _zod: { def: { format?: string } } }[] }).checks ?? [];
      const integer = checks.some((check) => check._zod.def.format === 'safeint');
      return { kind: integer ? 'integer' : 'number', choices: null };
    }
    case 'boolean':
      return { kind: 'boolean', choices: null };
    case 'array':
      return { kind: 'list', choices: null };
    case 'enum':
      return { kind: 'enum', choices: Object.values(def.entries ?? {}) };
    case 'literal':
      return { kind: 'number-choice', choices: (def.values ?? []) as number[] };
    default:
      return { kind: 'string', choices: null };
  }
}

function buildKeys(): ConfigKey[] {
  const keys: ConfigKey[] = [];
  for (const [section, sectionSchema] of Object.entries(SECTIONS) as [SectionName, AnySchema][]) {
    const inner = unwrap(sectionSchema).leaf as unknown as { shape: Record<string, AnySchema> };
    for (const [name, schema] of Object.entries(inner.shape)) {
      const { leaf, default: fallback, description } = unwrap(schema);
      keys.push({
        section,
        name,
        key: `${section}.${name}`,
        env: `${ENV_PREFIX}${section.toUpperCase()}_${name.toUpperCase()}`,
        ...kindOf(leaf),
        default: fallback,
        description,
      });
    }
  }
  return keys;
}

export const CONFIG_KEYS: readonly ConfigKey[] = buildKeys();

const BY_KEY = new Map(CONFIG_KEYS.map((entry) => [entry.key, entry]));

export function configKey(key: string): ConfigKey | undefined {
  return BY_KEY.get(key);
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/**
 * Coerces one value to its key's type when the conversion is exact, and otherwise returns it unchanged so that
 * validation reports it with the value the user wrote (`mqtt.version: expected 4 or 5, got "6"`). YAML is read with
 * the failsafe schema, so file values arrive as strings too: `pin: 0000` stays "0000" and `000` stays a short code.
 */
export function coerceValue(entry: ConfigKey, value: unknown): unknown {
  if (entry.kind === 'list') {
    if (typeof value === 'string')
      return value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    return value;
  }
  if (typeof value !== 'string') return value;
  const text = value.trim();
  switch (entry.kind) {
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : value;
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
    case 'number-choice':
      return entry.choices?.includes(Number(text)) && /^\d+$/.test(text) ? Number(text) : value;
    case 'boolean':
      if (TRUE.has(text.toLowerCase())) return true;
      if (FALSE.has(text.toLowerCase())) return false;
      return value;
    default:
      return value;
  }
}
