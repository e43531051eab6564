import { describe, expect, it } from 'vitest';
import { parseCgact, parseCgpaddr, pdpContexts } from '../../../src/modem/parsers/pdp-context.js';

describe('PDP context answers (+CGACT?, +CGPADDR)', () => {
  it('one active context with a quoted IPv4 address (Quectel EC25 shape)', () => {
    expect(pdpContexts(['+CGACT: 1,1'], ['+CGPADDR: 1,"10.170.33.21"'])).toEqual([
      { cid: 1, active: true, addresses: ['10.170.33.21'] },
    ]);
  });

  it('several contexts, inactive ones without an address, unquoted and dual-stack forms', () => {
    expect(
      pdpContexts(
        ['+CGACT: 1,0', '+CGACT: 2,1', '+CGACT: 3,1'],
        ['+CGPADDR: 1', '+CGPADDR: 2,100.64.12.7', '+CGPADDR: 3,"10.0.0.9","32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1"'],
      ),
    ).toEqual([
      { cid: 1, active: false, addresses: [] },
      { cid: 2, active: true, addresses: ['100.64.12.7'] },
      { cid: 3, active: true, addresses: ['10.0.0.9', '32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1'] },
    ]);
  });

  it('treats 0.0.0.0 as no address and ignores lines of other commands or garbage', () => {
    expect(parseCgpaddr(['+CGPADDR: 1,"0.0.0.0"', 'OK', '+CGPADDR: x,"1.2.3.4"'])).toEqual(new Map([[1, []]]));
    expect(parseCgact(['+CGACT: 1,7', '+CGACT: ,1', '+CGREG: 0,1', '+CGACT: 4,1'])).toEqual(new Map([[4, true]]));
  });
});
