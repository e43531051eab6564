/**
 * Server-side faults for testing clients: the next N requests (optionally only of some methods) are answered with
 * a 429 or 5xx in the API's error shape, with a Retry-After header when asked. Codes: 20429 Too Many Requests,
 * 20500 Internal Server Error, 20503 Service Unavailable (the API's generic HTTP codes).
 */
export interface RequestFault {
  status: 429 | 500 | 502 | 503;
  /** How many requests to fail (default 1). */
  count?: number;
  retryAfterSeconds?: number;
  /** Only these methods (default all). */
  methods?: Array<'GET' | 'POST' | 'DELETE'>;
}

const CODES: Record<RequestFault['status'], number> = { 429: 20429, 500: 20500, 502: 20500, 503: 20503 };
const MESSAGES: Record<RequestFault['status'], string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

interface FaultResponse {
  status: number;
  body: { code: number; message: string; more_info: string; status: number };
  headers: Record<string, string>;
}

export class RequestFaults {
  private readonly queue: Array<Required<Omit<RequestFault, 'retryAfterSeconds'>> & { retryAfterSeconds?: number }> =
    [];

  add(fault: RequestFault): void {
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError('fault count must be a positive integer');
    this.queue.push({ ...fault, count, methods: fault.methods ?? ['GET', 'POST', 'DELETE'] });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The fault response for this request, consuming one use, or undefined. */
  take(method: string): FaultResponse | undefined {
    const fault = this.queue.find((f) => (f.methods as string[]).includes(method));
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count === 0) this.queue.splice(this.queue.indexOf(fault), 1);
    const code = CODES[fault.status];
    return {
      status: fault.status,
      body: {
        code,
        message: MESSAGES[fault.status],
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status: fault.status,
      },
      headers: fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
    };
  }
}
