import * as z from 'zod';
import { CONFIG_KEYS } from './keys.js';
import { configSchema } from './schema.js';

/** The config as JSON Schema (draft 2020-12), from the zod schema: for editors and `m2m-bridge config schema`. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://github.com/m2m-bridge/m2m-bridge/config.schema.json',
    title: 'm2m-bridge configuration',
    description:
      'YAML file, then M2M_BRIDGE_<SECTION>_<KEY> environment variables, then flags. Unknown keys are errors.',
    ...schema,
  };
}

/** The reference table (Markdown) for the README: key, default, environment variable, description. */
export function configReferenceMarkdown(): string {
  const rows = CONFIG_KEYS.map((entry) => {
    const fallback = entry.default === undefined ? '—' : `\`${JSON.stringify(entry.default)}\``;
    const type = entry.choices ? entry.choices.join(' \\| ') : entry.kind;
    return `| \`${entry.key}\` | ${type} | ${fallback} | \`${entry.env}\` | ${entry.description} |`;
  });
  return ['| key | type | default | environment | description |', '|---|---|---|---|---|', ...rows].join('\n');
}
