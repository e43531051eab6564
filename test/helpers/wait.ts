/** Resolves when `check` returns a truthy value; rejects after `deadlineMs` naming what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  deadlineMs = 10_000,
  pollMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A promise with its resolve/reject exposed, for waiting on one event in a test. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
