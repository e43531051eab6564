import { describe, expect, test } from 'vitest';
import { SmsStorage, type StoredMessage } from '../../../device/modem/sms-storage.js';

const message = (pdu: string): StoredMessage => ({ stat: 0, pdu, tpduLength: 1, storedAt: '2026-01-01T00:00:00Z' });

describe('SmsStorage', () => {
  test('stores into the lowest free index and reports usage per memory', () => {
    const storage = new SmsStorage({ SM: 2, ME: 3, SR: 1 });
    expect(storage.store('SM', message('A'))).toBe(1);
    expect(storage.store('SM', message('B'))).toBe(2);
    expect(storage.store('SM', message('C'))).toBeUndefined();
    storage.delete('SM', 1);
    expect(storage.store('SM', message('D'))).toBe(1);
    expect(storage.usage('SM')).toEqual({ used: 2, total: 2 });
    expect(storage.isFull('SM')).toBe(true);
    expect(storage.usage('ME')).toEqual({ used: 0, total: 3 });
  });

  test('MT is SM then ME, with ME indices after the SIM capacity', () => {
    const storage = new SmsStorage({ SM: 1, ME: 2, SR: 1 });
    expect(storage.store('MT', message('A'))).toBe(1);
    expect(storage.store('MT', message('B'))).toBe(2);
    expect(storage.get('ME', 1)?.pdu).toBe('B');
    expect(storage.list('MT').map(({ index, message: stored }) => [index, stored.pdu])).toEqual([
      [1, 'A'],
      [2, 'B'],
    ]);
    expect(storage.usage('MT')).toEqual({ used: 2, total: 3 });
    expect(storage.inRange('MT', 3)).toBe(true);
    expect(storage.inRange('MT', 4)).toBe(false);
    expect(storage.delete('MT', 2)).toBe(true);
    expect(storage.usage('ME').used).toBe(0);
  });

  test('the forced-full fault makes every memory report full and refuse messages', () => {
    const storage = new SmsStorage({ SM: 5, ME: 5, SR: 5 });
    storage.forcedFull = true;
    expect(storage.usage('SM')).toEqual({ used: 5, total: 5 });
    expect(storage.store('ME', message('A'))).toBeUndefined();
  });

  test('index 0, negative and non-integer indices are out of range', () => {
    const storage = new SmsStorage({ SM: 5, ME: 5, SR: 5 });
    expect(storage.inRange('SM', 0)).toBe(false);
    expect(storage.inRange('SM', -1)).toBe(false);
    expect(storage.inRange('SM', 1.5)).toBe(false);
    expect(SmsStorage.isMemory('SR')).toBe(true);
    expect(SmsStorage.isMemory('BM')).toBe(false);
  });
});
