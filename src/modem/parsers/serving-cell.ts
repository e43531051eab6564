import { type CellFacts, hexField, numberField, splitPlmn } from './cell.js';
import { afterPrefix, splitFields, unquote } from './fields.js';

/**
 * Vendors' serving-cell queries. Each answers what 3GPP spreads over +COPS, +CEREG and +CESQ in one line, and most add
 * the band, the EARFCN and SINR, which 3GPP has no command for. Field positions differ by radio access technology, so
 * every parser first reads which one the line is about; a layout it does not know gives no facts rather than wrong ones.
 */

const LTE_NAMES = /^(?:LTE|CAT-?M1?|CAT-?NB1?|EMTC|NBIOT|NB-IOT)$/i;

/** Digits of a band name: `EUTRAN-BAND3` → 3, `LTE BAND 20` → 20, `20` → 20; null without digits. */
function bandOf(field: string | undefined): string | null {
  if (field === undefined) return null;
  const m = /(\d+)\s*$/.exec(unquote(field));
  return m ? String(Number(m[1])) : null;
}

/** dB figures to one decimal: scaled readings (1/5 dB, tenths) must not print as 1.6000000000000014. */
const tenth = (value: number) => Math.round(value * 10) / 10;

/** An integer field that is a real reading (not the empty or `-` Quectel prints for "none"). */
function intOrNull(field: string | undefined): number | null {
  const value = numberField(field);
  return value === null ? null : Math.trunc(value);
}

/**
 * Quectel `AT+QENG="servingcell"` (Quectel EC25&EC21 AT Commands Manual V1.3 §10.x, BG96 manual likewise):
 * - LTE: `+QENG: "servingcell",<state>,"LTE",<is_tdd>,<MCC>,<MNC>,<cellID>,<PCID>,<earfcn>,<freq_band_ind>,
 *   <UL_bandwidth>,<DL_bandwidth>,<TAC>,<RSRP>,<RSRQ>,<RSSI>,<SINR>,<srxlev>` (BG96 prints "CAT-M"/"CAT-NB" instead);
 * - GSM: `…,"GSM",<mcc>,<mnc>,<lac>,<cellid>,<bsic>,<arfcn>,<band>,<rxlev>,…`;
 * - WCDMA: `…,"WCDMA",<mcc>,<mnc>,<lac>,<cellid>,<uarfcn>,<psc>,<rac>,<rscp>,<ecio>,…`.
 * cellID, TAC and LAC are hex. The EC25 manual gives <SINR> in 1/5 dB steps over 0..250 (-20..+30 dB); without
 * service the answer is just `+QENG: "servingcell","SEARCH"`.
 */
export function parseQuectelServingCell(lines: readonly string[]): CellFacts {
  const text = afterPrefix(lines, '+QENG:');
  if (text === undefined) return {};
  const f = splitFields(text);
  if (unquote(f[0] ?? '') !== 'servingcell' || f.length < 8) return {};
  const rat = unquote(f[2] ?? '');
  if (LTE_NAMES.test(rat)) {
    const sinr = numberField(f[16]);
    return {
      access_technology: /^LTE$/i.test(rat) ? 'LTE' : /NB/i.test(rat) ? 'NB-IoT' : 'LTE-M',
      mcc: intOrNull(f[4]) === null ? null : unquote(f[4]!).padStart(3, '0'),
      mnc: intOrNull(f[5]) === null ? null : unquote(f[5]!).padStart(2, '0'),
      cell_id: hexField(f[6]),
      earfcn: intOrNull(f[8]),
      band: bandOf(f[9]),
      tac: hexField(f[12]),
      rsrp_dbm: intOrNull(f[13]),
      rsrq_db: intOrNull(f[14]),
      sinr_db: sinr === null ? null : tenth(sinr / 5 - 20),
    };
  }
  if (rat === 'GSM' || rat === 'WCDMA') {
    return {
      access_technology: rat === 'GSM' ? 'GSM' : 'UMTS',
      mcc: intOrNull(f[3]) === null ? null : unquote(f[3]!).padStart(3, '0'),
      mnc: intOrNull(f[4]) === null ? null : unquote(f[4]!).padStart(2, '0'),
      lac: hexField(f[5]),
      cell_id: hexField(f[6]),
      ...(rat === 'GSM' ? { band: bandOf(f[9]) } : {}),
    };
  }
  return {};
}

/**
 * SIMCom `AT+CPSI?` (SIM7500/SIM7600 Series AT Command Manual V1.08 §4.2.x; SIM7000 likewise):
 * - LTE: `+CPSI: <System Mode>,<Operation Mode>,<MCC>-<MNC>,<TAC>,<SCellID>,<PCellID>,<Frequency Band>,<earfcn>,
 *   <dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>`, e.g. `+CPSI: LTE,Online,404-45,0x21F9,322642,453,EUTRAN-BAND40,
 *   39275,4,4,-168,-1126,-773,7`: TAC hex, SCellID decimal; the SIM7600 gives RSRQ/RSRP in tenths (-168 = -16.8 dB,
 *   -1126 = -112.6 dBm) and SINR = 2·RSSNR - 20, while the SIM7000 (`LTE CAT-M1`, `LTE NB-IOT`) gives whole dB/dBm.
 *   An RSRP beyond -200 can only be tenths (RSRP spans -140..-44 dBm), which tells the two apart;
 * - GSM: `+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42` (LAC hex, cell id decimal).
 * `+CPSI: NO SERVICE,Online` without service. The SIM800 has no +CPSI at all (it answers ERROR).
 */
export function parseSimcomCpsi(lines: readonly string[]): CellFacts {
  const text = afterPrefix(lines, '+CPSI:');
  if (text === undefined) return {};
  const f = splitFields(text);
  const mode = unquote(f[0] ?? '').toUpperCase();
  if (f.length < 5) return {};
  const plmn = splitPlmn(f[2] ?? '');
  const decimalCell = (field: string | undefined) => {
    const value = intOrNull(field);
    return value === null || value < 0 ? null : value.toString(16).toUpperCase();
  };
  if (mode.startsWith('LTE')) {
    const rsrp = numberField(f[11]);
    const tenths = rsrp !== null && rsrp < -200;
    const scale = (value: number | null) => (value === null ? null : tenths ? tenth(value / 10) : value);
    const rssnr = numberField(f[13]);
    return {
      access_technology: /CAT-?M/.test(mode) ? 'LTE-M' : /NB/.test(mode) ? 'NB-IoT' : 'LTE',
      ...(plmn ?? {}),
      tac: hexField(f[3]),
      cell_id: decimalCell(f[4]),
      band: bandOf(f[6]),
      earfcn: intOrNull(f[7]),
      rsrq_db: scale(numberField(f[10])),
      rsrp_dbm: scale(rsrp),
      sinr_db: rssnr === null ? null : tenths ? 2 * rssnr - 20 : rssnr,
    };
  }
  if (mode === 'GSM' || mode === 'WCDMA') {
    return {
      access_technology: mode === 'GSM' ? 'GSM' : 'UMTS',
      ...(plmn ?? {}),
      lac: hexField(f[3]),
      cell_id: decimalCell(f[4]),
    };
  }
  return {};
}

/**
 * u-blox `AT+UCGED?` with mode 2 (SARA-R4/N4 and SARA-R5 AT Commands Manuals, UBX-17003787 / UBX-19047455), three
 * lines: `+UCGED: 2`, `<rat>,<svc>,<MCC>,<MNC>`, then for LTE `<earfcn>,<Lband>,<ul_BW>,<dl_BW>,<tac>,<LcellId>,
 * <P-CID>,<mTmsi>,<mmeGrId>,<mmeCode>,<rsrp>,<rsrq>,<Lsinr>,…`, e.g. `6,4,001,01` and
 * `2525,5,50,50,e8fe,1a2d001,1,d60814d1,8001,01,28,31,13.75,…`. MCC/MNC `fff` mean unknown; <rsrp> is the TS 36.133
 * index (as +CESQ: -140 + index dBm), <rsrq> the index 0..34 (-20 + index/2 dB), 255 unknown; <Lsinr> is in dB. Only
 * the LTE layout is read: the 2G/3G ones have other fields in other places.
 */
export function parseUbloxUcged(lines: readonly string[]): CellFacts {
  const start = lines.findIndex((line) => /^\+UCGED:\s*2\s*$/.test(line.trim()));
  if (start < 0) return {};
  const head = splitFields(lines[start + 1] ?? '');
  const lte = splitFields(lines[start + 2] ?? '');
  if (head.length < 4 || lte.length < 13) return {};
  const digits = (field: string | undefined) => (field && /^\d{2,3}$/.test(field) ? field : null);
  const rsrp = intOrNull(lte[10]);
  const rsrq = intOrNull(lte[11]);
  return {
    mcc: digits(head[2]),
    mnc: digits(head[3]),
    earfcn: intOrNull(lte[0]) === 65535 ? null : intOrNull(lte[0]),
    band: intOrNull(lte[1]) === 255 ? null : bandOf(lte[1]),
    tac: hexField(lte[4]),
    cell_id: /^0+$/.test(lte[5] ?? '') ? null : hexField(lte[5]),
    rsrp_dbm: rsrp !== null && rsrp <= 97 ? -140 + rsrp : null,
    rsrq_db: rsrq !== null && rsrq <= 34 ? -20 + rsrq / 2 : null,
    // 255 is "not known" here too (SARA-R510 out of coverage).
    sinr_db: numberField(lte[12]) === 255 ? null : numberField(lte[12]),
  };
}

/**
 * Telit `AT#RFSTS` (LE910Cx / ME910C1 / LM960 AT Commands Reference Guides):
 * - LTE: `#RFSTS: <PLMN>,<EARFCN>,<RSRP>,<RSSI>,<RSRQ>,<TAC>,<RAC>,[<TXPWR>],<DRX>,<MM>,<RRC>,<CID>,<IMSI>,
 *   [<NetNameAsc>],<SD>,<ABND>[,<SINR>]`, e.g. `#RFSTS: "311 480",66536,-103,-68,-15,0D00,255,,1280,1,0,033C416,
 *   "000000000000000","Verizon",3,66`;
 * - GSM: `#RFSTS: <PLMN>,<ARFCN>,<RSSI>,<LAC>,<RAC>,<TXPWR>,<MM>,<RR>,<NOM>,<CID>,<IMSI>,<NetNameAsc>,<SD>,<ABND>`.
 * Firmware drops fields in the middle (some print no <TXPWR>), so the cell id is found as the field before the quoted
 * IMSI, and the band (<ABND>) three after it. LTE is told from GSM by its 4th field, a (negative) RSSI rather than a
 * hex LAC. <SINR> is 0..250 for -20..+30 dB.
 */
export function parseTelitRfsts(lines: readonly string[]): CellFacts {
  const text = afterPrefix(lines, '#RFSTS:');
  if (text === undefined) return {};
  const f = splitFields(text);
  const imsi = f.findIndex((field, i) => i > 5 && /^"\d{6,15}"$/.test(field));
  if (imsi < 0) return {};
  const plmn = splitPlmn(f[0] ?? '');
  const common = { ...(plmn ?? {}), cell_id: hexField(f[imsi - 1]), band: bandOf(f[imsi + 3]) };
  if (/^-\d+$/.test(f[3] ?? '')) {
    const sinr = numberField(f[imsi + 4]);
    return {
      ...common,
      access_technology: 'LTE',
      earfcn: intOrNull(f[1]),
      rsrp_dbm: intOrNull(f[2]),
      rsrq_db: intOrNull(f[4]),
      tac: hexField(f[5]),
      sinr_db: sinr === null ? null : tenth(sinr / 5 - 20),
    };
  }
  return { ...common, access_technology: 'GSM', lac: hexField(f[3]) };
}

/**
 * Telit `AT#SERVINFO` (same guides), the fallback when #RFSTS is refused:
 * - LTE: `#SERVINFO: <EARFCN>,<dBM>,<NetNameAsc>,<NetCode>,<PhysicalCellId>,<TAC>,<DRX>,<SD>,<RSRP>`, e.g.
 *   `#SERVINFO: 66786,-68,"T-Mobile","310260",3089F02,2D18,640,3,-101` (the "PhysicalCellId" is the hex cell identity);
 * - GSM: `#SERVINFO: <B-ARFCN>,<dBM>,<NetNameAsc>,<NetCode>,<BSIC>,<LAC>,<TA>,<GPRS>[,…]`.
 * The two have the same length up to <GPRS>; LTE is the one whose 9th field is an RSRP (negative).
 */
export function parseTelitServinfo(lines: readonly string[]): CellFacts {
  const text = afterPrefix(lines, '#SERVINFO:');
  if (text === undefined) return {};
  const f = splitFields(text);
  if (f.length < 6) return {};
  const plmn = splitPlmn(f[3] ?? '');
  if (f.length === 9 && /^-\d+$/.test(f[8] ?? '')) {
    return {
      ...(plmn ?? {}),
      access_technology: 'LTE',
      earfcn: intOrNull(f[0]),
      cell_id: hexField(f[4]),
      tac: hexField(f[5]),
      rsrp_dbm: intOrNull(f[8]),
    };
  }
  return { ...(plmn ?? {}), access_technology: 'GSM', lac: hexField(f[5]) };
}
