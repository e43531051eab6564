import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { SimulatedModem } from '../../../device/modem/index.js';
import { SimAtClient } from '../../helpers/sim-at-client.js';

let modem: SimulatedModem | undefined;
afterEach(() => modem?.dispose());

const atLike = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .array(
      fc.constantFrom(
        'AT',
        '+CMGS=',
        '+CMGL=',
        '+CPMS=',
        '"SM"',
        ',',
        ';',
        '?',
        '=?',
        '\r',
        '\n',
        '\x1a',
        '\x1b',
        '0',
        '99',
        'E0',
        'Z',
        '"',
      ),
      { maxLength: 40 },
    )
    .map((pieces) => new TextEncoder().encode(pieces.join(''))),
);

test('random bytes and AT-like noise never crash the modem, and it answers AT afterwards', async () => {
  modem = new SimulatedModem({ bootDelayMs: 1, smsReadyDelayMs: 1 });
  await modem.whenReady();
  const current = modem;
  await fc.assert(
    fc.asyncProperty(fc.array(atLike, { minLength: 1, maxLength: 8 }), async (chunks) => {
      const at = new SimAtClient(current.connect());
      for (const chunk of chunks) at.write(Buffer.from(chunk));
      // Leave a possible SMS prompt with ESC, end a half line with CR, then the modem must still work.
      at.write('\x1b\r');
      const from = at.received.length;
      at.write('AT+CGMI\r');
      await at.waitFor(/\r\nm2m-bridge\r\n\r\nOK\r\n/, 3000, from);
      expect(current.state().power).toBe('on');
    }),
    { numRuns: 150 },
  );
});
