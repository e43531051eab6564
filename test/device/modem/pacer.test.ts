import { describe, expect, test } from 'vitest';
import { bytesArrived, Pacer, SLICE_BYTES } from '../../../device/modem/pacer.js';
import { ManualClock } from '../../../src/util/manual-clock.js';

// The simulator's serial line rate (`--baud`), on a manual clock: each byte is handed on when its stop bit would have
// arrived, measured from when the line was free, with no tick period in between.

/** 9600 baud: 960 bytes/s, one byte every 1.041 6… ms. */
const BAUD = 9600;
const BYTE_MS = 10_000 / BAUD;

function pacedLine(baud = BAUD) {
  const clock = new ManualClock(1_000);
  const received: { at: number; text: string }[] = [];
  const pacer = new Pacer(baud, (data) => received.push({ at: clock.now(), text: data.toString('latin1') }), clock);
  return { clock, received, pacer, text: () => received.map((r) => r.text).join('') };
}

describe('bytesArrived (pure)', () => {
  test('counts whole bytes from the start of the write, none before it, never more than were written', () => {
    expect(bytesArrived(100, 2, 10, 99)).toBe(0);
    expect(bytesArrived(100, 2, 10, 100)).toBe(0);
    expect(bytesArrived(100, 2, 10, 101.9)).toBe(0);
    expect(bytesArrived(100, 2, 10, 102)).toBe(1);
    expect(bytesArrived(100, 2, 10, 107)).toBe(3);
    expect(bytesArrived(100, 2, 10, 500)).toBe(10);
  });

  test('a byte due exactly now has arrived despite floating-point error', () => {
    // 3 bytes at 115200 baud: 3 × 0.086 80… ms, which is not exact in binary.
    const byteMs = 10_000 / 115_200;
    expect(bytesArrived(0.1, byteMs, 3, 0.1 + 3 * byteMs)).toBe(3);
  });
});

describe('Pacer', () => {
  test('an idle line starts at once: a write is complete after exactly its wire time, not a tick later', () => {
    const line = pacedLine();
    line.pacer.push(Buffer.from('\r\nOK\r\n'));
    // 6 bytes take 6.25 ms; the hand-over is due then (the timer rounds up to the next whole millisecond).
    line.clock.advance(6);
    expect(line.text()).toBe('');
    line.clock.advance(1);
    expect(line.text()).toBe('\r\nOK\r\n');
    expect(line.received.at(-1)!.at - 1_000).toBeGreaterThanOrEqual(6 * BYTE_MS);
    expect(line.received.at(-1)!.at - 1_000).toBeLessThan(6 * BYTE_MS + 1);
  });

  test('writes queue behind each other: the second starts when the first has left the line', () => {
    const line = pacedLine();
    line.pacer.push(Buffer.from('+CMTI: "SM",1'));
    line.clock.advance(3);
    line.pacer.push(Buffer.from('\r\n'));
    line.clock.advance(100);
    expect(line.text()).toBe('+CMTI: "SM",1\r\n');
    // 13 + 2 bytes back to back from t = 1000, not 2 bytes counted from the second write's own time.
    expect(line.received.at(-1)!.at - 1_000).toBeGreaterThanOrEqual(15 * BYTE_MS);
    expect(line.received.at(-1)!.at - 1_000).toBeLessThan(15 * BYTE_MS + 1);
  });

  test('never faster than the line: at any moment at most the bytes whose wire time has passed were handed on', () => {
    const line = pacedLine();
    line.pacer.push(Buffer.alloc(500, 0x41));
    for (let t = 0; t <= 600; t += 0.5) {
      line.clock.advance(0.5);
      const handed = line.text().length;
      expect(handed).toBeLessThanOrEqual(bytesArrived(1_000, BYTE_MS, 500, line.clock.now()));
    }
    expect(line.text().length).toBe(500);
  });

  test('a long write is handed on in slices as it arrives, as a UART FIFO would deliver it', () => {
    const line = pacedLine();
    line.pacer.push(Buffer.alloc(4 * SLICE_BYTES, 0x30));
    line.clock.advance(1_000);
    expect(line.received.length).toBe(4);
    expect(line.received.every((r) => r.text.length === SLICE_BYTES)).toBe(true);
  });

  test('after an idle gap the line is free again: the next write does not pay for the gap or the past', () => {
    const line = pacedLine();
    line.pacer.push(Buffer.from('AT'));
    line.clock.advance(50);
    const before = line.clock.now();
    line.pacer.push(Buffer.from('OK'));
    line.clock.advance(10);
    expect(line.received.at(-1)!.at - before).toBeGreaterThanOrEqual(2 * BYTE_MS);
    expect(line.received.at(-1)!.at - before).toBeLessThan(2 * BYTE_MS + 1);
  });

  test('close drops what was not handed on and leaves no timer behind', () => {
    const line = pacedLine();
    line.pacer.push(Buffer.alloc(100, 0x41));
    line.clock.advance(10);
    line.pacer.close();
    expect(line.clock.pending).toBe(0);
    line.clock.advance(1_000);
    expect(line.text().length).toBeLessThan(100);
  });

  test('rejects a nonsensical rate', () => {
    expect(() => new Pacer(0, () => {})).toThrow(RangeError);
    expect(() => new Pacer(Number.NaN, () => {})).toThrow(RangeError);
  });
});
