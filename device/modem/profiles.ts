/**
 * Vendor dialects. Each profile says only what differs from plain 3GPP TS 27.007/27.005; every quirk cites where it
 * comes from. The command engine consults these fields; nothing else is vendor-specific.
 */

export type ProfileName = 'generic' | 'quectel' | 'simcom' | 'ublox' | 'huawei' | 'telit';
export const PROFILE_NAMES: readonly ProfileName[] = ['generic', 'quectel', 'simcom', 'ublox', 'huawei', 'telit'];

type StorageName = 'SM' | 'ME';

export interface ModemProfile {
  name: ProfileName;
  manufacturer: string;
  model: string;
  revision: string;
  /** Lines `ATI` prints (V.250 §6.1.3 leaves the content to the manufacturer). */
  identification(imei: string): string[];
  /** URCs when the firmware has started after power-on or `AT+CFUN=1,1` (`+CPIN: READY` becomes `SIM PIN` if locked). */
  powerOnUrcs: string[];
  /** URCs when SMS (and phonebook) initialisation is over, a little later and only with the SIM unlocked. */
  smsReadyUrcs: string[];
  /**
   * What `AT+CMGR` on an empty slot answers: OK with no text on some modems, `+CMS ERROR: 321` on others
   * (FACTS.md "Response shapes vary"; SIM800 firmware answers OK, Qualcomm-based modems 321).
   */
  emptySlot: 'ok' | 'error';
  /** Prefix of the `AT+CCID` answer. */
  ccidPrefix: string;
  /** Memory used for <mem1>,<mem2>,<mem3> after boot. */
  defaultStorage: StorageName;
  /** Whether SMS commands answer +CMS ERROR until the "SMS ready" point of the boot sequence. */
  rejectsSmsBeforeReady: boolean;
  /** <AcT> in +COPS / +CREG (TS 27.007 §7.3: 0 GSM, 2 UTRAN, 7 E-UTRAN). */
  accessTechnology: number;
  /** Vendor command that prints the ICCID, and the prefix of its answer. */
  iccidCommand?: { name: string; prefix: string };
  /** Every Nth response with information lines gets `noiseUrc` between its lines (0: never). */
  noiseEvery: number;
  /**
   * A harmless URC this vendor emits on its own (used by the quirk above and by the urc* faults). `nth` counts the
   * noise URCs so far, for vendors that alternate several; `now` is the simulator's time.
   */
  noiseUrc(rssi: number, nth: number, now: Date): string;
  /** The URC this vendor prints when the memory new messages go to is full (none: it says nothing, as 3GPP allows). */
  storageFullUrc?: (memory: string) => string;
  /** `AT+CFUN=<fun>` values beyond TS 27.007's 0/1/4 that restart the module (the OK first, then a reboot). */
  cfunResets: number[];
  /** The signal URC once switched on (commands/vendor.ts), printed when <rssi> changes; none: the vendor has none. */
  signalUrc?: (rssi: number, ber: number) => string;
}

/**
 * What a profile says unless it differs: plain 3GPP behaviour (no boot URCs, `+CCID: ` answer, `+CMS ERROR: 321` on
 * an empty slot, SM storage, E-UTRAN, no noise URCs, no vendor resets). Each vendor spreads it and overrides only its
 * quirks, as the driver's quirk objects do (src/modem/quirks/).
 */
const PLAIN_3GPP = {
  powerOnUrcs: [],
  smsReadyUrcs: [],
  ccidPrefix: '+CCID: ',
  emptySlot: 'error',
  defaultStorage: 'SM',
  rejectsSmsBeforeReady: false,
  accessTechnology: 7,
  noiseEvery: 0,
  noiseUrc: () => '+CREG: 1',
  cfunResets: [],
} satisfies Partial<ModemProfile>;

const generic: ModemProfile = {
  ...PLAIN_3GPP,
  name: 'generic',
  manufacturer: 'm2m-bridge',
  model: 'Simulated Modem',
  revision: 'SIM-1.0',
  identification: () => ['m2m-bridge', 'Simulated Modem', 'Revision: SIM-1.0'],
};

/**
 * Quectel EC25. Quectel EC25&EC21 AT Commands Manual V1.3 (2018): power-on URCs `RDY`, `+CPIN: READY`,
 * `+QIND: SMS DONE`, `+QIND: PB DONE`; `AT+QCCID` answers `+QCCID: <iccid>`; ATI prints Quectel / EC25 /
 * `Revision: ...`. Received SMS are stored in ME by default (FACTS.md, "Quectel modems store in ME by default").
 * `+QIND: "csq",<rssi>,<ber>` is its signal URC (AT+QINDCFG="csq",1).
 */
const quectel: ModemProfile = {
  ...PLAIN_3GPP,
  name: 'quectel',
  manufacturer: 'Quectel',
  model: 'EC25',
  revision: 'EC25EFAR06A06M4G',
  identification: () => ['Quectel', 'EC25', 'Revision: EC25EFAR06A06M4G'],
  powerOnUrcs: ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1'],
  smsReadyUrcs: ['+QIND: SMS DONE', '+QIND: PB DONE'],
  defaultStorage: 'ME',
  iccidCommand: { name: '+QCCID', prefix: '+QCCID: ' },
  noiseUrc: (rssi) => `+QIND: "csq",${rssi},99`,
  signalUrc: (rssi, ber) => `+QIND: "csq",${rssi},${ber}`,
  // AT+QINDCFG="smsfull" (on by default): `+QIND: "smsfull",<storage>` when the SMS storage is full (EC25 manual).
  storageFullUrc: (memory) => `+QIND: "smsfull","${memory}"`,
};

/**
 * SIMCom SIM800. SIM800 Series AT Command Manual V1.09 §19.3: `RDY` (power-on done), `Call Ready` (phonebook
 * ready, AT+CIURC=1), `SMS Ready` (SMS initialisation over). SMS commands sent before `SMS Ready` fail; users see
 * `+CMS ERROR: 302` there (StackOverflow q/61327888 and SIM800 forum reports). `AT+CCID` prints the bare ICCID
 * (SIM800 manual §6.2.36); the SIM7600 form `AT+CICCID` answers `+ICCID: <iccid>`.
 */
const simcom: ModemProfile = {
  ...PLAIN_3GPP,
  name: 'simcom',
  manufacturer: 'SIMCOM_Ltd',
  model: 'SIMCOM_SIM800L',
  revision: 'Revision:1418B05SIM800L24',
  identification: () => ['SIM800 R14.18'],
  powerOnUrcs: ['RDY', '+CFUN: 1', '+CPIN: READY'],
  smsReadyUrcs: ['Call Ready', 'SMS Ready'],
  ccidPrefix: '',
  emptySlot: 'ok',
  rejectsSmsBeforeReady: true,
  accessTechnology: 0,
  iccidCommand: { name: '+CICCID', prefix: '+ICCID: ' },
  // SIM800 manual URC list: `+CSQN: <rssi>,<ber>` when they change (AT+EXUNSOL="SQ",1; AT+AUTOCSQ=1,1 on SIM7x00).
  signalUrc: (rssi, ber) => `+CSQN: ${rssi},${ber}`,
};

/**
 * u-blox SARA-R4. SARA-R4 AT Commands Manual (UBX-17003787): ATI prints the model, `ATI9` the firmware;
 * `AT+CCID` answers `+CCID: <iccid>`; no power-on URC unless `+UPSV`/greeting text is configured. `AT+CFUN=15` and
 * `AT+CFUN=16` are its silent resets (with and without a SIM reset), the rung src/modem/quirks/ublox.ts climbs.
 */
const ublox: ModemProfile = {
  ...PLAIN_3GPP,
  name: 'ublox',
  manufacturer: 'u-blox',
  model: 'SARA-R410M-02B',
  revision: 'L0.0.00.00.05.08',
  identification: () => ['Manufacturer: u-blox', 'Model: SARA-R410M-02B', 'Revision: L0.0.00.00.05.08'],
  cfunResets: [15, 16],
};

/** `^NWTIME: yy/MM/dd,hh:mm:ss+tz,dst` (tz in quarter hours), from the simulator's time in UTC. */
function huaweiNetworkTime(now: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const date = `${two(now.getUTCFullYear() % 100)}/${two(now.getUTCMonth() + 1)}/${two(now.getUTCDate())}`;
  const time = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
  return `^NWTIME: ${date},${time}+00,00`;
}

/**
 * Huawei E3131. HUAWEI MU/E-series AT Command Interface Specification: `^RSSI: <rssi>` and `^NWTIME` are sent
 * unprompted and, on the E3131, both show up between a response's lines and its `OK` (ModemManager's Huawei plugin
 * registers them as URCs for that reason; FACTS.md "URCs arrive anywhere"). `AT^ICCID?` answers `^ICCID: <iccid>`.
 */
const huawei: ModemProfile = {
  ...PLAIN_3GPP,
  name: 'huawei',
  manufacturer: 'huawei',
  model: 'E3131',
  revision: '21.158.13.00.209',
  identification: (imei) => [
    'Manufacturer: huawei',
    'Model: E3131',
    'Revision: 21.158.13.00.209',
    `IMEI: ${imei}`,
    '+GCAP: +CGSM,+DS,+ES',
  ],
  powerOnUrcs: ['^SIMST: 1'],
  smsReadyUrcs: ['^SRVST: 2', '^NWTIME: 26/01/01,00:00:00+00,00'],
  accessTechnology: 2,
  iccidCommand: { name: '^ICCID', prefix: '^ICCID: ' },
  noiseEvery: 2,
  // ^RSSI and ^NWTIME in turn: both land between response lines on the E3131.
  noiseUrc: (rssi, nth, now) => (nth % 2 === 0 ? `^RSSI: ${rssi}` : huaweiNetworkTime(now)),
  // ^SMMEMFULL: <mem_type> "when the message storage media overflow" (HUAWEI MU509 AT Command Interface
  // Specification §6.21).
  storageFullUrc: (memory) => `^SMMEMFULL: "${memory}"`,
};

/**
 * Telit LE910C4. Telit LE910Cx AT Commands Reference Guide (80502ST10950A): `AT+CGMI` Telit, `AT+CGMM` the model;
 * `AT#CCID` answers `#CCID: <iccid>`; `AT#REBOOT` restarts the module (the driver's reset rung,
 * src/modem/quirks/telit.ts); `AT#PCT` tells the tries left of the code the SIM waits for. No power-on URC by default
 * (#QSS SIM status URCs are off until AT#QSS=1); received SMS go to SM; an empty slot answers +CMS ERROR: 321.
 */
const telit: ModemProfile = {
  ...PLAIN_3GPP,
  name: 'telit',
  manufacturer: 'Telit',
  model: 'LE910C4-NF',
  revision: '25.21.660',
  identification: () => ['Telit', 'LE910C4-NF', '25.21.660'],
  iccidCommand: { name: '#CCID', prefix: '#CCID: ' },
};

export const PROFILES: Record<ProfileName, ModemProfile> = { generic, quectel, simcom, ublox, huawei, telit };

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}
