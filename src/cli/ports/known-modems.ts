/**
 * USB modems whose AT port we know by USB vendor/product and interface number. One source of truth: `m2m-bridge ports`
 * marks the likely AT port with it, and test/systemd/udev-rules.test.ts checks that systemd/99-m2m-bridge.rules gives
 * every entry its `/dev/m2m-modem` symlink on exactly this interface.
 *
 * Interface numbers are `bInterfaceNumber` as sysfs prints it (two hex digits). Sources:
 * - MM-QUECTEL: ModemManager plugins/quectel/77-mm-quectel-port-types.rules ("if #2: AT primary port").
 * - MM-SIMTECH: ModemManager plugins/simtech/77-mm-simtech-port-types.rules ("SIM7000, SIM7100, SIM7600...":
 *   1e0e:9001 if 02 AT primary; SIM7070/7080/7090 1e0e:9205/9206 if 02 AT primary).
 * - MM-UBLOX: ModemManager plugins/ublox/77-mm-ublox-port-types.rules (LISA-U2 layout 1546:1102, "ttyACM0 (if #0):
 *   primary"; SARA-U2 enumerates with the same product id as LISA-U2, u-blox's common USB driver for both).
 * - LINUX-OPTION: drivers/usb/serial/option.c (u-blox SARA-R410M 05c6:90b2 with RSVD(1)|RSVD(3): interfaces 1 and 3
 *   are not serial; 0 is the Qualcomm DIAG port, so the AT port is 2 — inferred, marked as such).
 * - LINUX-QCSERIAL: drivers/usb/serial/qcserial.c, QCSERIAL_SWI layout ("0: DM/DIAG, 2: NMEA, 3: AT-capable modem
 *   port, 8: QMI/net") for the Sierra Wireless MC74xx/EM74xx/EM7565 DEVICE_SWI entries.
 * - SIXFAB-ATCOM: sixfab/atcom atcom/modems.py (Telit LE910 1bc7:1201 → "04", 1bc7:1206 → "05"), consistent with
 *   option.c's NCTRL(0)|RSVD(1)|RSVD(2) for 1bc7:1201 (DIAG, ADB, RmNet before NMEA and the two modem ports).
 */
export interface KnownModem {
  /** Marketing names covered by this USB id, for people. */
  name: string;
  vendor: string;
  /** idVendor / idProduct, four lowercase hex digits each (as sysfs and udev print them). */
  vendorId: string;
  productId: string;
  /** bInterfaceNumber of the AT port, two lowercase hex digits. */
  atInterface: string;
  /** Key of the source in the comment above. */
  source: 'MM-QUECTEL' | 'MM-SIMTECH' | 'MM-UBLOX' | 'LINUX-OPTION' | 'LINUX-QCSERIAL' | 'SIXFAB-ATCOM';
  /** True when the AT interface is derived, not stated by the source. */
  inferred?: boolean;
}

export const KNOWN_MODEMS: readonly KnownModem[] = [
  {
    name: 'Quectel EC25 / EG25-G',
    vendor: 'Quectel',
    vendorId: '2c7c',
    productId: '0125',
    atInterface: '02',
    source: 'MM-QUECTEL',
  },
  {
    name: 'Quectel BG96',
    vendor: 'Quectel',
    vendorId: '2c7c',
    productId: '0296',
    atInterface: '02',
    source: 'MM-QUECTEL',
  },
  {
    name: 'Quectel EG91',
    vendor: 'Quectel',
    vendorId: '2c7c',
    productId: '0191',
    atInterface: '02',
    source: 'MM-QUECTEL',
  },
  {
    name: 'Quectel EG95',
    vendor: 'Quectel',
    vendorId: '2c7c',
    productId: '0195',
    atInterface: '02',
    source: 'MM-QUECTEL',
  },
  {
    name: 'SIMCom SIM7600 / SIM7000 / SIM7100',
    vendor: 'SIMCom',
    vendorId: '1e0e',
    productId: '9001',
    atInterface: '02',
    source: 'MM-SIMTECH',
  },
  {
    name: 'SIMCom SIM7070 / SIM7080 / SIM7090',
    vendor: 'SIMCom',
    vendorId: '1e0e',
    productId: '9205',
    atInterface: '02',
    source: 'MM-SIMTECH',
  },
  {
    name: 'SIMCom SIM7070 / SIM7080 / SIM7090 (alt)',
    vendor: 'SIMCom',
    vendorId: '1e0e',
    productId: '9206',
    atInterface: '02',
    source: 'MM-SIMTECH',
  },
  {
    name: 'u-blox SARA-U2 / LISA-U2',
    vendor: 'u-blox',
    vendorId: '1546',
    productId: '1102',
    atInterface: '00',
    source: 'MM-UBLOX',
  },
  {
    name: 'u-blox SARA-R410M',
    vendor: 'u-blox',
    vendorId: '05c6',
    productId: '90b2',
    atInterface: '02',
    source: 'LINUX-OPTION',
    inferred: true,
  },
  {
    name: 'Telit LE910Cx (RmNet)',
    vendor: 'Telit',
    vendorId: '1bc7',
    productId: '1201',
    atInterface: '04',
    source: 'SIXFAB-ATCOM',
  },
  {
    name: 'Telit LE910Cx (ECM)',
    vendor: 'Telit',
    vendorId: '1bc7',
    productId: '1206',
    atInterface: '05',
    source: 'SIXFAB-ATCOM',
  },
  {
    name: 'Sierra Wireless MC74xx (MC7455, MC7430)',
    vendor: 'Sierra Wireless',
    vendorId: '1199',
    productId: '9071',
    atInterface: '03',
    source: 'LINUX-QCSERIAL',
  },
  {
    name: 'Sierra Wireless EM74xx (EM7455, EM7430)',
    vendor: 'Sierra Wireless',
    vendorId: '1199',
    productId: '9079',
    atInterface: '03',
    source: 'LINUX-QCSERIAL',
  },
  {
    name: 'Sierra Wireless EM7565',
    vendor: 'Sierra Wireless',
    vendorId: '1199',
    productId: '9091',
    atInterface: '03',
    source: 'LINUX-QCSERIAL',
  },
];

/** The known modem with this USB id (any case, with or without 0x), or undefined. */
export function findKnownModem(vendorId: string, productId: string): KnownModem | undefined {
  const v = normaliseHex(vendorId, 4);
  const p = normaliseHex(productId, 4);
  return KNOWN_MODEMS.find((modem) => modem.vendorId === v && modem.productId === p);
}

/** `0x2C7C`, `2C7C`, `2c7c` → `2c7c`; `2` → `02` for interface numbers. */
export function normaliseHex(value: string, width: number): string {
  return value.trim().toLowerCase().replace(/^0x/, '').padStart(width, '0');
}
