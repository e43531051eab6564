/**
 * A FIFO mutex: `run(fn)` executes callers one at a time in arrival order. The AT channel uses it to keep exactly one
 * command in flight; a rejected task does not poison the queue.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Callers queued or running. */
  get pending(): number {
    return this.waiting;
  }

  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.waiting++;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => {
        this.waiting--;
      },
      () => {
        this.waiting--;
      },
    );
    return result;
  }
}
