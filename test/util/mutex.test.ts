import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/util/mutex.js';

describe('Mutex', () => {
  it('runs tasks one at a time in arrival order', async () => {
    const m = new Mutex();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = m.run(async () => {
      events.push('a start');
      await gate;
      events.push('a end');
      return 1;
    });
    const second = m.run(() => {
      events.push('b');
      return 2;
    });
    expect(m.pending).toBe(2);
    await Promise.resolve();
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['a start', 'a end', 'b']);
    expect(m.pending).toBe(0);
  });

  it('keeps going after a task rejects', async () => {
    const m = new Mutex();
    const failed = m.run(() => Promise.reject(new Error('boom')));
    const next = m.run(() => 'fine');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('fine');
  });
});
