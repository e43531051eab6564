import fc from 'fast-check';
import { expect } from 'vitest';
import { AtChannel } from '../../src/at/channel.js';
import { AtError } from '../../src/at/errors.js';
import { UrcRegistry } from '../../src/at/urc-registry.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTransport } from '../at/fake-transport.js';
import type { FuzzTarget } from './harness.js';

/**
 * The AT channel with unsolicited result codes at random places (FACTS.md: "URCs arrive anywhere: between a response
 * header and OK, before the > prompt, inside the echo"): a command's answer, optionally echoed, has URCs (one- and
 * two-line) inserted between any of its lines, is cut into random chunks with random line ends, and ends in OK or a
 * +CMS/+CME error. The command must get exactly its own lines (or the typed error), the URC handlers exactly the URCs,
 * in order.
 */

export type Urc = string[];
export const hex = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength, maxLength });
export const URCS: fc.Arbitrary<Urc> = fc.oneof(
  fc.nat({ max: 254 }).map((i) => [`+CMTI: "SM",${i}`]),
  fc.nat({ max: 5 }).map((s) => [`+CREG: ${s}`]),
  fc.nat({ max: 31 }).map((r) => [`^RSSI:${r}`]),
  fc.constant<Urc>(['RDY']),
  hex(2, 80).map((pdu) => ['+CMT: ,24', `07${pdu}`]),
);

interface Exchange {
  command: string;
  prefix?: string;
  bodyLines?: boolean;
  /** The response's information lines, in order. */
  lines: string[];
}

const hexPdu = hex(2, 200);

/** A channel on a FakeTransport with the usual URCs registered; `seen` collects what the handlers got, in order. */
export function channelWithUrcs() {
  const transport = new FakeTransport();
  const seen: Urc[] = [];
  const urcs = new UrcRegistry();
  urcs.register({ name: 'cmti', match: '+CMTI:', handler: (l) => seen.push(l) });
  urcs.register({ name: 'cmt', match: '+CMT:', lines: 2, handler: (l) => seen.push(l) });
  urcs.register({ name: 'creg', match: '+CREG:', handler: (l) => seen.push(l) });
  urcs.register({ name: 'rssi', match: '^RSSI:', handler: (l) => seen.push(l) });
  urcs.register({ name: 'rdy', match: 'RDY', handler: (l) => seen.push(l) });
  const channel = new AtChannel({ transport, clock: systemClock, logger: silentLogger(), urcs });
  return { transport, channel, seen };
}

/** `wire` cut at the given offsets (taken modulo its length). */
export function chunked(wire: string, offsets: number[]): Buffer[] {
  const bytes = Buffer.from(wire, 'latin1');
  const cuts = offsets.map((at) => at % Math.max(1, bytes.length)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const c of cuts)
    if (c > prev) {
      chunks.push(bytes.subarray(prev, c));
      prev = c;
    }
  chunks.push(bytes.subarray(prev));
  return chunks;
}

const EXCHANGES: fc.Arbitrary<Exchange> = fc.oneof(
  fc.array(fc.tuple(fc.nat({ max: 254 }), hexPdu), { maxLength: 6 }).map((items) => ({
    command: 'AT+CMGL=4',
    prefix: '+CMGL:',
    bodyLines: true,
    lines: items.flatMap(([i, pdu]) => [`+CMGL: ${i},1,,${pdu.length / 2}`, pdu]),
  })),
  fc.tuple(fc.nat({ max: 31 }), fc.nat({ max: 99 })).map(([a, b]) => ({
    command: 'AT+CSQ',
    prefix: '+CSQ:',
    lines: [`+CSQ: ${a},${b}`],
  })),
  fc
    .array(fc.stringMatching(/^[A-Za-z0-9 ._-]{1,30}$/), { minLength: 1, maxLength: 3 })
    // Not a final result, not a URC, and not a piece of the echo (the channel strips echo that arrives in pieces).
    .filter((lines) => lines.every((l) => l.trim() === l && !/^(OK|ERROR|RDY|AT)/i.test(l) && l.toUpperCase() !== 'A'))
    .map((lines) => ({ command: 'ATI', lines })),
);

const FINALS = fc.oneof(
  { weight: 4, arbitrary: fc.constant('OK') },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 340 }).map((c) => `+CMS ERROR: ${c}`) },
  { weight: 1, arbitrary: fc.integer({ min: 3, max: 30 }).map((c) => `+CME ERROR: ${c}`) },
);
const ENDING = fc.constantFrom('\r\n', '\r\n\r\n', '\n', '\r');

export const channelInterleavedUrcs: FuzzTarget = {
  name: 'at: channel, responses with interleaved URCs in any chunking',
  fuzzRuns: 60_000,
  property: () =>
    fc.asyncProperty(
      EXCHANGES,
      fc.boolean(),
      fc.array(fc.tuple(fc.nat(), URCS), { maxLength: 5 }),
      FINALS,
      fc.array(fc.tuple(ENDING, fc.nat({ max: 5000 })), { minLength: 64, maxLength: 64 }),
      async (exchange, echo, inserts, final, noise) => {
        // Lines of the answer: echo, information lines, final; URCs go between any two (never inside a +CMT pair).
        const answer = [...(echo ? [exchange.command] : []), ...exchange.lines].map((l) => [l]);
        const sorted = [...inserts].sort((a, b) => a[0] - b[0]);
        const urcsInOrder: Urc[] = [];
        const slots: string[][] = [];
        const positions = sorted.map(([at]) => at % (answer.length + 1));
        for (let slot = 0, u = 0; slot <= answer.length; slot++) {
          while (u < sorted.length && positions[u] === slot) {
            slots.push(sorted[u]![1]);
            urcsInOrder.push(sorted[u]![1]);
            u++;
          }
          if (slot < answer.length) slots.push(answer[slot]!);
        }
        slots.push([final]);
        let wire = '';
        let k = 0;
        for (const group of slots)
          for (const line of group) {
            const [ending] = noise[k++ % noise.length]!;
            // The echo comes back as typed: command + CR (V.250 §6.2.4); the rest framed by line ends.
            wire += line === exchange.command && echo ? `${line}\r` : `${ending}${line}${ending}`;
          }
        const chunks = chunked(
          wire,
          noise.map(([, at]) => at),
        );

        const { transport, channel, seen } = channelWithUrcs();
        transport.script = () => chunks;
        const options = {
          timeoutMs: 5_000,
          ...(exchange.prefix ? { prefix: exchange.prefix } : {}),
          ...(exchange.bodyLines ? { bodyLines: true } : {}),
        };
        const outcome = await channel.run(exchange.command, options).then(
          (response) => ({ lines: response.lines }),
          (error: unknown) => ({ error }),
        );
        channel.close();
        if (final === 'OK') expect(outcome).toEqual({ lines: exchange.lines });
        else {
          expect('error' in outcome && outcome.error).toBeInstanceOf(AtError);
          const error = (outcome as { error: AtError }).error;
          expect(error.kind).toBe(final.startsWith('+CMS') ? 'cms' : 'cme');
          expect(error.code).toBe(Number(final.split(': ')[1]));
        }
        expect(seen).toEqual(urcsInOrder);
      },
    ),
};
