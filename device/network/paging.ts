import { invalidParameter } from './api-errors.js';

/**
 * List paging as the API does it: `PageSize` (1–1000, default 50), `Page` (0-based), and a `meta` object whose URLs
 * are absolute (FACTS.md: `meta.next_page_url` is absolute; `meta.key` names the array). The filters of the request
 * are kept in every page URL so following next_page_url keeps filtering.
 */
interface PageRequest {
  /** Absolute URL of the list without query, e.g. `http://127.0.0.1:8080/v1/Commands`. */
  listUrl: string;
  query: URLSearchParams;
  key: string;
}

const DEFAULT_PAGE_SIZE = 50;

function integerParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw invalidParameter(name, `must be an integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw invalidParameter(name, `must be between ${min} and ${max}`);
  return value;
}

export function pageOf<T>(items: readonly T[], request: PageRequest): Record<string, unknown> {
  const pageSize = integerParam(request.query, 'PageSize', 1, 1000, DEFAULT_PAGE_SIZE);
  const page = integerParam(request.query, 'Page', 0, Number.MAX_SAFE_INTEGER, 0);
  const filters = new URLSearchParams();
  for (const [key, value] of request.query) {
    if (key !== 'PageSize' && key !== 'Page' && key !== 'PageToken') filters.append(key, value);
  }
  const urlFor = (n: number) => {
    const query = new URLSearchParams(filters);
    query.set('PageSize', String(pageSize));
    query.set('Page', String(n));
    if (n > 0) query.set('PageToken', `PT${n * pageSize}`);
    return `${request.listUrl}?${query.toString()}`;
  };
  const start = page * pageSize;
  const slice = items.slice(start, start + pageSize);
  return {
    [request.key]: slice,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: urlFor(0),
      previous_page_url: page > 0 ? urlFor(page - 1) : null,
      url: urlFor(page),
      next_page_url: start + pageSize < items.length ? urlFor(page + 1) : null,
      key: request.key,
    },
  };
}
