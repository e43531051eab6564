/**
 * What the bridge shows of the modem on `m2m/modem/state` (ARCHITECTURE.md). The daemon maps the driver's status
 * into it, so the bridge knows nothing of AT or the serial port.
 */
export interface ModemView {
  status: 'disconnected' | 'initializing' | 'ready' | 'degraded';
  reason: string | null;
  registration: string | null;
  operator: string | null;
  access_technology: string | null;
  signal: { rssi_dbm: number | null; quality: string | null };
  storage: { used: number | null; total: number | null };
}

export interface ModemIdentityView {
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  imei: string | null;
  iccid: string | null;
  imsi: string | null;
}

/** What requests and the state publisher can ask of the modem. */
export interface ModemControl {
  view(): ModemView;
  identity(): ModemIdentityView;
  /** Full re-initialisation (the `modem/restart` request). */
  restart(): Promise<void>;
  /** Reads everything in storage now (the `sweep` request); resolves when the modem's receive work is done. */
  sweep(): Promise<void>;
}

export const UNKNOWN_MODEM: ModemView = {
  status: 'disconnected',
  reason: 'not started',
  registration: null,
  operator: null,
  access_technology: null,
  signal: { rssi_dbm: null, quality: null },
  storage: { used: null, total: null },
};
