import { WirelessResponseError } from './errors.js';
import type { ApiParams, WirelessHttp } from './http.js';
import type { ListMeta } from './types.js';

/**
 * Iterates every item of a list resource, page by page, following `meta.next_page_url` (absolute, FACTS.md) until it
 * is null. The next page is only requested from the origin of the first request: the credentials travel with every
 * request, so a next_page_url pointing elsewhere is refused rather than followed.
 */
export async function* paginate<T>(http: WirelessHttp, url: string, key: string, query?: ApiParams): AsyncGenerator<T> {
  const origin = new URL(url).origin;
  let page = await http.get<Record<string, unknown>>(url, query);
  for (;;) {
    const items = page[key];
    if (!Array.isArray(items)) throw new WirelessResponseError(`${url}: the list response has no "${key}" array`);
    for (const item of items) yield item as T;
    const meta = page.meta as Partial<ListMeta> | undefined;
    const next = meta?.next_page_url;
    if (next === null || next === undefined || next === '') return;
    if (new URL(next).origin !== origin) {
      throw new WirelessResponseError(`refusing to follow next_page_url to another origin: ${new URL(next).origin}`);
    }
    page = await http.get<Record<string, unknown>>(next);
  }
}

/** Collects an async iterable into an array, stopping after `limit` items when given. */
export async function collect<T>(items: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
