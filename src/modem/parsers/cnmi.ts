import { afterPrefix, parseRange, splitFields } from './fields.js';

/**
 * +CNMI=<mode>,<mt>,<bm>,<ds>,<bfr> (3GPP TS 27.005 §3.4.1). We want store-and-notify: mt=1 (+CMTI, the message stays
 * in storage until we delete it — nothing is lost if we crash), status reports stored too (ds=2, +CDSI) or routed
 * (ds=1, +CDS), mode=2 (buffer URCs while the link is busy, then flush) and bfr=0 (flush the buffer, not discard).
 * Modems refuse some values (no ds=2 on SIM800 firmware; no mode 2 on some u-blox), so we produce candidates, best first.
 */
export type CnmiSetting = [number, number, number, number, number];

const WANT: { mode: number[]; mt: number[]; bm: number[]; ds: number[]; bfr: number[] } = {
  mode: [2, 1, 3],
  mt: [1],
  bm: [0],
  ds: [2, 1, 0],
  bfr: [0],
};

export function cnmiCandidates(testLines: readonly string[] | undefined): CnmiSetting[] {
  const text = testLines ? afterPrefix(testLines, '+CNMI:') : undefined;
  const allowed = text ? splitFields(text).map(parseRange) : [];
  const pick = (i: number, wanted: number[]) => {
    const ok = allowed[i];
    const filtered = ok && ok.length > 0 ? wanted.filter((v) => ok.includes(v)) : wanted;
    return filtered.length > 0 ? filtered : wanted;
  };
  const out: CnmiSetting[] = [];
  for (const mode of pick(0, WANT.mode))
    for (const ds of pick(3, WANT.ds))
      out.push([mode, pick(1, WANT.mt)[0]!, pick(2, WANT.bm)[0]!, ds, pick(4, WANT.bfr)[0]!]);
  // Last resort for modems that accept nothing above: the two-parameter form.
  if (!out.some((c) => c[0] === 1 && c[3] === 0)) out.push([1, 1, 0, 0, 0]);
  return out;
}

export function formatCnmi(setting: CnmiSetting): string {
  return `AT+CNMI=${setting.join(',')}`;
}
