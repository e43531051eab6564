import { invalidParameter, missingParameter } from './api-errors.js';

/** Readers for the API's form-encoded parameters; each bad value becomes a 400 naming the parameter. */

export function requiredString(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw missingParameter(name);
  return value;
}

export function optionalString(form: URLSearchParams, name: string): string | undefined {
  return form.get(name) ?? undefined;
}

export function optionalEnum<T extends string>(
  form: URLSearchParams,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw invalidParameter(name, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Booleans arrive as `true`/`false` (the helper libraries serialize them so); case-insensitive. */
export function optionalBoolean(form: URLSearchParams, name: string): boolean | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameter(name, `must be true or false, got ${JSON.stringify(value)}`);
}

/** A callback URL: absolute http(s). An empty value clears it (null). */
export function optionalUrl(form: URLSearchParams, name: string): string | null | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  if (value === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalidParameter(name, `must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidParameter(name, 'must be an http or https URL');
  }
  return value;
}

/** Methods are accepted in any case, as the API does (`post` → `POST`). */
export function optionalMethod(form: URLSearchParams, name: string): 'GET' | 'POST' | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  const upper = value.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST')
    throw invalidParameter(name, `must be GET or POST, got ${JSON.stringify(value)}`);
  return upper;
}
