import { readFileSync } from 'node:fs';

/**
 * A validator for the subset of OpenAPI 3 schema the published Wireless and Super SIM specs use: $ref, type
 * (string, integer, boolean, object, array), nullable, enum, pattern, minLength/maxLength, format date-time / uri,
 * properties, items. Stricter than the spec in one way, on purpose: every documented property must be present and
 * no undocumented one may appear, so a renamed or missing field is caught.
 */
type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
};

interface Spec {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

const specsDir = new URL('../../fixtures/', import.meta.url);

export function loadSpec(name: 'wireless' | 'supersim'): Spec {
  return JSON.parse(readFileSync(new URL(`api-twilio_${name}_v1.json`, specsDir), 'utf8')) as Spec;
}

/** Enums the spec does not mark nullable although its description says null is a value ("Can be: null or …"). */
const NULL_BY_DESCRIPTION = new Set(['sim_enum_reset_status']);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function check(spec: Spec, schema: Schema, value: unknown, path: string, errors: string[]): void {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target) throw new Error(`unknown $ref ${schema.$ref}`);
    if (value === null && NULL_BY_DESCRIPTION.has(name)) return;
    check(spec, target, value, path, errors);
    return;
  }
  if (value === null) {
    // Enum refs (status, direction…) are not nullable in the spec; plain fields say nullable: true.
    if (!schema.nullable && schema.type) errors.push(`${path}: null but not nullable`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  switch (schema.type) {
    case undefined:
      return;
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(`${path}: expected string, got ${typeof value}`);
        return;
      }
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        errors.push(`${path}: ${value} !~ ${schema.pattern}`);
      if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: too short`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: too long`);
      if (schema.format === 'date-time' && !ISO_DATE_TIME.test(value))
        errors.push(`${path}: not a date-time: ${value}`);
      if (schema.format === 'uri' && !URL.canParse(value)) errors.push(`${path}: not a URI: ${value}`);
      return;
    }
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${path}: expected integer, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: expected boolean, got ${JSON.stringify(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`${path}: expected array`);
        return;
      }
      value.forEach((item, i) => {
        if (schema.items) check(spec, schema.items, item, `${path}[${i}]`, errors);
      });
      return;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`${path}: expected object`);
        return;
      }
      if (!schema.properties) return;
      const record = value as Record<string, unknown>;
      for (const [key, sub] of Object.entries(schema.properties)) {
        if (!(key in record)) errors.push(`${path}.${key}: missing`);
        else check(spec, sub, record[key], `${path}.${key}`, errors);
      }
      for (const key of Object.keys(record)) {
        if (!(key in schema.properties)) errors.push(`${path}.${key}: not in the spec`);
      }
      return;
    }
    default:
      throw new Error(`schema type ${schema.type} not supported by this validator`);
  }
}

/** Validates a response body against the spec's schema for `METHOD path-template` and status; returns the errors. */
export function validateResponse(
  spec: Spec,
  method: string,
  template: string,
  status: number,
  body: unknown,
): string[] {
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no operation ${method} ${template} in the spec`);
  const response = operation.responses[String(status)];
  if (!response) return [`status ${status} is not a documented response of ${method} ${template}`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? [] : [`${method} ${template} ${status} documents no body`];
  const errors: string[] = [];
  check(spec, schema, body, '$', errors);
  return errors;
}

/** The API's error shape (FACTS.md); the specs do not describe it. */
export function validateErrorBody(body: unknown, status: number): string[] {
  const errors: string[] = [];
  const record = body as Record<string, unknown>;
  if (typeof record?.code !== 'number') errors.push('code is not a number');
  if (typeof record?.message !== 'string') errors.push('message is not a string');
  if (typeof record?.more_info !== 'string' || !URL.canParse(record.more_info)) errors.push('more_info is not a URL');
  if (record?.status !== status) errors.push(`status ${String(record?.status)} != HTTP ${status}`);
  const extra = Object.keys(record ?? {}).filter((k) => !['code', 'message', 'more_info', 'status'].includes(k));
  if (extra.length) errors.push(`unexpected keys ${extra.join(', ')}`);
  return errors;
}
