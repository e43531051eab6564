import type { EmulatedNetwork } from './network.js';

/** What a route handler gets: the parsed request and the emulator it acts on. */
export interface RouteContext {
  network: EmulatedNetwork;
  /** Captures of the route's path pattern (URL-decoded). */
  params: string[];
  query: URLSearchParams;
  form: URLSearchParams;
  /** Absolute base URL of the API the route belongs to, e.g. `http://127.0.0.1:8080/v1`. */
  base: string;
  now: () => number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Matched against the path after the API prefix (`/Commands/DC…`). */
  path: RegExp;
  handle(context: RouteContext): RouteResult;
}
