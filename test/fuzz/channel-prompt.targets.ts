import fc from 'fast-check';
import { expect } from 'vitest';
import { AtError } from '../../src/at/errors.js';
import { channelWithUrcs, chunked, hex, URCS, type Urc } from './channel.targets.js';
import type { FuzzTarget } from './harness.js';

/**
 * The `> ` prompt exchange (AT+CMGS, 3GPP TS 27.005 §3.5.1) with URCs where FACTS.md says real modems put them: before
 * the prompt, inside the echo of the PDU (the echo cut into pieces around them), and between +CMGS and OK. The send
 * must get exactly `+CMGS: <mr>` (or the typed +CMS error), and the handlers every URC in order.
 */
const ENDING = fc.constantFrom('\r\n', '\r\n\r\n', '\n');
const urcLines = (urcs: Urc[], ending: string) =>
  urcs.map((lines) => lines.map((l) => `${ending}${l}${ending}`).join(''));

export const channelPromptWithUrcs: FuzzTarget = {
  name: 'at: channel, AT+CMGS prompt exchange with URCs before the prompt, in the echo and before OK',
  fuzzRuns: 40_000,
  property: () =>
    fc.asyncProperty(
      hex(2, 120).map((h) => (h.length % 2 === 0 ? h : `${h}0`)),
      fc.record({
        echo: fc.boolean(),
        beforePrompt: fc.array(URCS, { maxLength: 3 }),
        inEcho: fc.array(fc.tuple(fc.nat(), URCS), { maxLength: 3 }),
        beforeOk: fc.array(URCS, { maxLength: 3 }),
        mr: fc.nat({ max: 255 }),
        error: fc.option(fc.integer({ min: 300, max: 340 })),
        ending: ENDING,
      }),
      fc.array(fc.nat({ max: 4000 }), { maxLength: 20 }),
      async (pdu, o, offsets) => {
        const command = `AT+CMGS=${pdu.length / 2 - 1}`;
        const toPrompt = `${o.echo ? `${command}\r` : ''}${urcLines(o.beforePrompt, o.ending).join('')}\r\n> `;
        // The echo of the PDU cut at random places, a URC (framed by line ends) in each cut.
        const cuts = [...new Set(o.inEcho.map(([at]) => 1 + (at % Math.max(1, pdu.length - 1))))].sort((a, b) => a - b);
        const inEcho = o.echo ? o.inEcho.slice(0, cuts.length).map(([, urc]) => urc) : [];
        let echo = '';
        if (o.echo) {
          let prev = 0;
          cuts.forEach((cut, i) => {
            echo += `${pdu.slice(prev, cut)}${urcLines([inEcho[i]!], '\r\n').join('')}`;
            prev = cut;
          });
          echo += `${pdu.slice(prev)}\x1a\r\n`;
        }
        const answer = o.error === null ? `\r\n+CMGS: ${o.mr}\r\n` : '';
        const final = o.error === null ? '\r\nOK\r\n' : `\r\n+CMS ERROR: ${o.error}\r\n`;
        const afterBody = `${echo}${answer}${urcLines(o.beforeOk, o.ending).join('')}${final}`;

        const { transport, channel, seen } = channelWithUrcs();
        transport.script = (data) =>
          data.startsWith('AT+CMGS=') ? chunked(toPrompt, offsets) : chunked(afterBody, offsets);
        const outcome = await channel.runWithPrompt(command, pdu, { prefix: '+CMGS:', timeoutMs: 5_000 }).then(
          (response) => ({ lines: response.lines }),
          (error: unknown) => ({ error }),
        );
        channel.close();
        expect(transport.written).toEqual([`${command}\r`, `${pdu}\x1a`]);
        if (o.error === null) expect(outcome).toEqual({ lines: [`+CMGS: ${o.mr}`] });
        else {
          const error = (outcome as { error: AtError }).error;
          expect(error).toBeInstanceOf(AtError);
          expect([error.kind, error.code]).toEqual(['cms', o.error]);
        }
        expect(seen).toEqual([...o.beforePrompt, ...inEcho, ...o.beforeOk]);
      },
    ),
};
