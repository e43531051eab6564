/** The control API speaks snake_case JSON (ARCHITECTURE.md CLI contract); the TypeScript API is camelCase. */
const toSnake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toCamel = (key: string) => key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

function convert(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, rename));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), convert(item, rename)]));
  }
  return value;
}

export const snakeKeys = (value: unknown): unknown => convert(value, toSnake);
export const camelKeys = (value: unknown): unknown => convert(value, toCamel);
