import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodeDeliver, encodeSubmit } from '../../src/sms/index.js';
import { recordFigures } from './results.js';

// Decode and encode throughput of the SMS codec, and what decoding costs next to the serial line that brings the
// PDU in: at 115200 baud with 10 bits per byte (8N1), a modem sends the PDU as hex text, two characters per octet.
// Run: node node_modules/vitest/vitest.mjs run --config test/bench/vitest.bench.config.ts test/bench/sms-codec.bench.ts

const BAUD = 115_200;
const BITS_PER_BYTE = 10;
const TIMESTAMP = '2026-11-27T16:20:05+01:00';

const samples: { name: string; pdu: string }[] = [
  {
    name: 'DELIVER gsm7 10 chars',
    pdu: encodeDeliver({ from: '2936', text: 'reboot now', timestamp: TIMESTAMP })[0]!.pdu,
  },
  {
    name: 'DELIVER gsm7 160 septets',
    pdu: encodeDeliver({
      from: '+15551234567',
      text: `${'The quick brown fox jumps over the lazy dog! '.repeat(4).slice(0, 150)}[€]{~}`,
      timestamp: TIMESTAMP,
    })[0]!.pdu,
  },
  {
    name: 'DELIVER ucs2 70 units',
    pdu: encodeDeliver({ from: 'Twilio', text: 'Привет 😀 '.repeat(7), timestamp: TIMESTAMP })[0]!.pdu,
  },
  {
    name: 'DELIVER 8bit part + UDH',
    pdu: encodeDeliver({
      from: '2936',
      data: new Uint8Array(300).fill(7),
      timestamp: TIMESTAMP,
      concatReference: 1,
    })[0]!.pdu,
  },
  {
    name: 'STATUS-REPORT',
    pdu: '0891683108608805F906750D91683109731147F4313050913492003130509134430000',
  },
];

function measure(fn: () => unknown, minMs = 300): { perOpUs: number; opsPerSec: number } {
  for (let i = 0; i < 2_000; i++) fn(); // warm up the JIT
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1_000; i++) fn();
    iterations += 1_000;
    elapsed = performance.now() - start;
  }
  const perOpUs = (elapsed * 1_000) / iterations;
  return { perOpUs, opsPerSec: 1e6 / perOpUs };
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);

describe('SMS codec benchmark', () => {
  it('decode throughput and cost relative to a 115200-baud line', () => {
    const rows = samples.map(({ name, pdu }) => {
      const { perOpUs, opsPerSec } = measure(() => decodePdu(pdu));
      // The modem prints the hex PDU followed by CRLF.
      const lineUs = (((pdu.length + 2) * BITS_PER_BYTE) / BAUD) * 1e6;
      return {
        pdu: name,
        octets: pdu.length / 2,
        'decode µs': fmt(perOpUs),
        'decodes/s': Math.round(opsPerSec),
        'line µs @115200': fmt(lineUs, 0),
        'decode/line': `${fmt((perOpUs / lineUs) * 100, 3)} %`,
        ratio: perOpUs / lineUs,
      };
    });
    console.log('\nDecode (one PDU per call)');
    console.table(rows.map(({ ratio: _ratio, ...row }) => row));
    const worst = Math.max(...rows.map((row) => row.ratio));
    console.log(`worst decode/line ratio: ${fmt(worst * 100, 3)} % of the time the PDU takes to arrive`);
    const longest = rows.reduce((a, b) => (b.octets > a.octets ? b : a));
    recordFigures('sms-codec', [
      {
        measure: `decode, longest sample (${longest.pdu})`,
        value: `${longest['decode µs']} µs`,
        reference: `line ${longest['line µs @115200']} µs at 115200`,
        ratio: longest['decode/line'],
      },
      {
        measure: 'decode, worst sample vs its line time',
        value: `${fmt(worst * 100, 3)} %`,
        reference: 'of the time the PDU takes to arrive',
        ratio: `${fmt(worst, 5)}×`,
      },
    ]);
    // Not a unit-test timing assert: a loose ceiling that only a pathological regression would cross.
    expect(worst).toBeLessThan(0.05);
  });

  it('encode throughput', () => {
    const cases: { name: string; run: () => unknown; parts: number }[] = [
      { name: 'SUBMIT gsm7 10 chars', run: () => encodeSubmit({ to: '2936', text: 'reboot now' }), parts: 1 },
      {
        name: 'SUBMIT gsm7 459 chars',
        run: () => encodeSubmit({ to: '+15551234567', text: 'a'.repeat(459), concatReference: 1 }),
        parts: 3,
      },
      {
        name: 'SUBMIT ucs2 emoji 100',
        run: () => encodeSubmit({ to: '2936', text: '😀'.repeat(100), concatReference: 1 }),
        parts: 4,
      },
      { name: 'SUBMIT 8bit 140 bytes', run: () => encodeSubmit({ to: '2936', data: new Uint8Array(140) }), parts: 1 },
      {
        name: 'DELIVER gsm7 10 chars',
        run: () => encodeDeliver({ from: '2936', text: 'reboot now', timestamp: TIMESTAMP }),
        parts: 1,
      },
    ];
    const rows = cases.map(({ name, run, parts }) => {
      expect((run() as unknown[]).length).toBe(parts);
      const { perOpUs, opsPerSec } = measure(run);
      return { message: name, parts, 'encode µs': fmt(perOpUs), 'messages/s': Math.round(opsPerSec) };
    });
    console.log('\nEncode (one message per call, all its parts)');
    console.table(rows);
  });
});
