/**
 * Identity answers. Vendors differ: AT+CGSN may answer `+CGSN: <imei>` or the bare number, ICCID comes from +CCID
 * (SIMCom, u-blox), +QCCID (Quectel), ^ICCID (Huawei), +ICCID (Telit) — some print a trailing F padding nibble.
 */

/** The first meaningful line, with an echoed `+CMD:` prefix and quotes removed. */
export function parseTextAnswer(lines: readonly string[], prefix?: string): string | undefined {
  for (const raw of lines) {
    let line = raw.trim();
    if (prefix && line.startsWith(prefix)) line = line.slice(prefix.length).trim();
    line = line.replace(/^"(.*)"$/, '$1').trim();
    if (line.length > 0) return line;
  }
  return undefined;
}

/** 15-digit IMEI from +CGSN, with or without prefix; extra fields (`,<serial>`) are ignored. */
export function parseImei(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /(?:^|[^\d])(\d{15})(?:[^\d]|$)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** IMSI: 6 to 15 digits. */
export function parseImsi(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^(?:\+CIMI:\s*)?"?(\d{6,15})"?$/.exec(line.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** ICCID: 18 to 22 characters, digits with an optional trailing F; returned as digits only. */
export function parseIccid(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = /^(?:[+^](?:Q?CCID|ICCID|CICCID):\s*)?"?([0-9]{17,21}[0-9Ff]?)"?$/.exec(line.trim());
    if (m) return m[1]!.replace(/[Ff]$/, '');
  }
  return undefined;
}
