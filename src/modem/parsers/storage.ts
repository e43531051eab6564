import { afterPrefix, intField, splitFields, unquote } from './fields.js';

/** 3GPP TS 27.005 §3.2.2 message storages: SIM, modem, both, status reports, broadcast, terminal adapter. */
export type MemoryName = string;

/** `AT+CPMS=?` → the memories allowed for mem1 (read/delete), mem2 (write/send), mem3 (receive). */
export function parseCpmsTest(lines: readonly string[]): [MemoryName[], MemoryName[], MemoryName[]] | null {
  const text = afterPrefix(lines, '+CPMS:');
  if (text === undefined) return null;
  const groups = splitFields(text).map((g) =>
    g
      .replace(/^\(/, '')
      .replace(/\)$/, '')
      .split(',')
      .map((m) => unquote(m).toUpperCase())
      .filter((m) => m.length > 0),
  );
  return [groups[0] ?? [], groups[1] ?? [], groups[2] ?? []];
}

export interface MemoryUse {
  memory: MemoryName | undefined;
  used: number;
  total: number;
}

/**
 * `AT+CPMS?` (`+CPMS: "SM",3,30,"SM",3,30,"SM",3,30`) and the answer to a set command (`+CPMS: 3,30,3,30,3,30`).
 */
export function parseCpmsUsage(lines: readonly string[]): MemoryUse[] {
  const text = afterPrefix(lines, '+CPMS:');
  if (text === undefined) return [];
  const fields = splitFields(text);
  const out: MemoryUse[] = [];
  let i = 0;
  while (i < fields.length) {
    let memory: string | undefined;
    if (intField(fields[i]) === undefined) memory = unquote(fields[i++]!).toUpperCase();
    const used = intField(fields[i++]);
    const total = intField(fields[i++]);
    if (used === undefined || total === undefined) break;
    out.push({ memory, used, total });
  }
  return out;
}

/**
 * Which memory to use for all three +CPMS slots. `preferred` comes from config or the vendor quirk; `auto` takes the
 * first of SM, ME, MT that the modem offers in all three lists, else the first common one, else the first mem1 entry.
 */
export function chooseMemory(
  offered: [MemoryName[], MemoryName[], MemoryName[]],
  preferred: MemoryName | 'auto',
  autoOrder: readonly MemoryName[] = ['SM', 'ME', 'MT'],
): MemoryName | undefined {
  const [m1, m2, m3] = offered;
  const inAll = (m: string) =>
    m1.includes(m) && (m2.length === 0 || m2.includes(m)) && (m3.length === 0 || m3.includes(m));
  if (preferred !== 'auto' && m1.includes(preferred)) return preferred;
  for (const m of autoOrder) if (inAll(m)) return m;
  return m1.find(inAll) ?? m1[0];
}
