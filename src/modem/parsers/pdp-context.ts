import { intField, splitFields, unquote } from './fields.js';

/**
 * The modem's view of the data link, read-only (TS 27.007 §10.1.10 `AT+CGACT?` → `+CGACT: <cid>,<state>` per
 * context; §10.1.14 `AT+CGPADDR` → `+CGPADDR: <cid>[,<PDP_addr_1>[,<PDP_addr_2>]]`). Pure: response lines in, values
 * out. Used to tell a technician why IP Commands cannot arrive (no active context, no address).
 */
export interface PdpContext {
  cid: number;
  active: boolean;
  /** IPv4 and/or IPv6 addresses as the modem printed them; empty when it has none. */
  addresses: string[];
}

/** `+CGACT: 1,1` lines → cid → active. Lines that are not +CGACT answers are ignored. */
export function parseCgact(lines: readonly string[]): Map<number, boolean> {
  const out = new Map<number, boolean>();
  for (const line of lines) {
    if (!line.startsWith('+CGACT:')) continue;
    const [cid, state] = splitFields(line.slice('+CGACT:'.length)).map(intField);
    if (cid !== undefined && (state === 0 || state === 1)) out.set(cid, state === 1);
  }
  return out;
}

/** `+CGPADDR: 1,"10.64.12.7"` lines → cid → addresses (quoted or not; empty fields dropped). */
export function parseCgpaddr(lines: readonly string[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const line of lines) {
    if (!line.startsWith('+CGPADDR:')) continue;
    const [cidField, ...rest] = splitFields(line.slice('+CGPADDR:'.length));
    const cid = intField(cidField);
    if (cid === undefined) continue;
    out.set(
      cid,
      rest.map(unquote).filter((address) => address !== '' && address !== '0.0.0.0'),
    );
  }
  return out;
}

/** Both answers joined per context, in cid order. */
export function pdpContexts(cgact: readonly string[], cgpaddr: readonly string[]): PdpContext[] {
  const states = parseCgact(cgact);
  const addresses = parseCgpaddr(cgpaddr);
  const cids = [...new Set([...states.keys(), ...addresses.keys()])].sort((a, b) => a - b);
  return cids.map((cid) => ({ cid, active: states.get(cid) ?? false, addresses: addresses.get(cid) ?? [] }));
}
