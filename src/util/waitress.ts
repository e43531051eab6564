import type { Clock, TimerHandle } from './clock.js';

/**
 * Request/response primitive after zigbee-herdsman's src/utils/waitress.ts: register the waiter BEFORE writing the
 * request (so a reply that arrives during the write is not missed), arm its timer AFTER the write completed (so a slow,
 * backpressured write does not eat the deadline), and build the timeout message from the matcher.
 */
export class WaitressTimeoutError extends Error {
  override name = 'WaitressTimeoutError';
}

export interface WaitressOptions<TPayload, TMatcher> {
  clock: Clock;
  validate(payload: TPayload, matcher: TMatcher): boolean;
  describeTimeout(matcher: TMatcher, timeoutMs: number): string;
}

export interface Waiter<TPayload> {
  readonly id: number;
  readonly promise: Promise<TPayload>;
  /** Arms the deadline; call after the request was written. Idempotent. */
  start(): void;
  /** Removes the waiter and rejects its promise with `error`. */
  cancel(error: Error): void;
}

interface Entry<TPayload, TMatcher> {
  id: number;
  matcher: TMatcher;
  timeoutMs: number;
  timer: TimerHandle | undefined;
  resolve(payload: TPayload): void;
  reject(error: Error): void;
}

export class Waitress<TPayload, TMatcher> {
  private entries = new Map<number, Entry<TPayload, TMatcher>>();
  private nextId = 1;

  constructor(private readonly options: WaitressOptions<TPayload, TMatcher>) {}

  get size(): number {
    return this.entries.size;
  }

  waitFor(matcher: TMatcher, timeoutMs: number): Waiter<TPayload> {
    const id = this.nextId++;
    let entry!: Entry<TPayload, TMatcher>;
    const promise = new Promise<TPayload>((resolve, reject) => {
      entry = { id, matcher, timeoutMs, timer: undefined, resolve, reject };
    });
    // A waiter canceled before anyone awaits it must not become an unhandled rejection.
    promise.catch(() => {});
    this.entries.set(id, entry);
    return {
      id,
      promise,
      start: () => {
        const live = this.entries.get(id);
        if (!live || live.timer !== undefined) return;
        live.timer = this.options.clock.setTimeout(() => {
          if (!this.entries.delete(id)) return;
          live.reject(new WaitressTimeoutError(this.options.describeTimeout(matcher, timeoutMs)));
        }, timeoutMs);
      },
      cancel: (error) => this.settle(id, (e) => e.reject(error)),
    };
  }

  /** Whether some waiter's matcher satisfies `predicate` (e.g. a command waits for its prompt right now). */
  some(predicate: (matcher: TMatcher) => boolean): boolean {
    for (const entry of this.entries.values()) if (predicate(entry.matcher)) return true;
    return false;
  }

  /** Resolves the oldest waiter whose matcher accepts the payload; false when none did. */
  resolve(payload: TPayload): boolean {
    for (const entry of this.entries.values()) {
      if (this.options.validate(payload, entry.matcher)) {
        this.settle(entry.id, (e) => e.resolve(payload));
        return true;
      }
    }
    return false;
  }

  rejectAll(error: Error): void {
    for (const id of [...this.entries.keys()]) this.settle(id, (e) => e.reject(error));
  }

  private settle(id: number, action: (entry: Entry<TPayload, TMatcher>) => void): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.timer !== undefined) this.options.clock.clearTimeout(entry.timer);
    action(entry);
  }
}
