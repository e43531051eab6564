import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../device/network/api-errors.js';
import { checkCommandBody, textWithSid, truncateMoText } from '../../../device/network/command-body.js';
import { pageOf } from '../../../device/network/paging.js';

const SID = 'DC0123456789abcdef0123456789abcdef';

describe('Command body limits (FACTS.md: 160 characters, IncludeSid adds 35; 140 bytes binary)', () => {
  it('text is accepted exactly when its characters plus the IncludeSid overhead fit in 160', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.constantFrom('none', 'start', 'end'),
        (text, includeSid) => {
          const limit = includeSid === 'none' ? 160 : 125;
          const fits = [...text].length <= limit;
          const accepted = (() => {
            try {
              checkCommandBody(text, 'text', includeSid as 'none' | 'start' | 'end');
              return true;
            } catch (error) {
              expect(error).toBeInstanceOf(ApiError);
              return false;
            }
          })();
          return accepted === fits && (!fits || [...textWithSid(text, SID, includeSid as 'none')].length <= 160);
        },
      ),
    );
  });

  it('binary: any base64 of up to 140 bytes decodes to the same bytes; 141 is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 140 }), (bytes) => {
        const decoded = checkCommandBody(Buffer.from(bytes).toString('base64'), 'binary', 'none');
        return decoded !== null && Buffer.from(decoded).equals(Buffer.from(bytes));
      }),
    );
    expect(() => checkCommandBody(Buffer.alloc(141).toString('base64'), 'binary', 'none')).toThrow(/141 bytes/);
    expect(() => checkCommandBody('AAE', 'binary', 'none')).toThrow(/base64/);
    expect(() => checkCommandBody('AAEC', 'binary', 'start')).toThrow(/IncludeSid/);
  });

  it('MO text is cut at 160 characters, never inside a surrogate pair', () => {
    const { text, truncated } = truncateMoText('😀'.repeat(170));
    expect(truncated).toBe(true);
    expect([...text]).toHaveLength(160);
    expect(text.endsWith('😀')).toBe(true);
  });
});

describe('paging', () => {
  it('following next_page_url visits every item exactly once, in order, keeping the filters', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.integer({ min: 1, max: 25 }), (count, pageSize) => {
        const items = Array.from({ length: count }, (_, i) => i);
        const seen: number[] = [];
        let url: string | null = `http://127.0.0.1:1/v1/Commands?Status=queued&PageSize=${pageSize}`;
        for (let guard = 0; url !== null && guard < 100; guard++) {
          const query: URLSearchParams = new URL(url).searchParams;
          const page = pageOf(items, { listUrl: 'http://127.0.0.1:1/v1/Commands', query, key: 'commands' }) as {
            commands: number[];
            meta: { next_page_url: string | null; key: string };
          };
          expect(query.get('Status')).toBe('queued');
          seen.push(...page.commands);
          url = page.meta.next_page_url;
        }
        return JSON.stringify(seen) === JSON.stringify(items);
      }),
    );
  });

  it('PageSize outside 1..1000 is a 400', () => {
    for (const size of ['0', '1001', 'x']) {
      const query = new URLSearchParams({ PageSize: size });
      expect(() => pageOf([], { listUrl: 'http://h/v1/Sims', query, key: 'sims' })).toThrow(/PageSize/);
    }
  });
});
