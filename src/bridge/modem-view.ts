/**
 * What the bridge shows of the modem on `m2m/modem/state` (ARCHITECTURE.md). The daemon maps the driver's status
 * into it, so the bridge knows nothing of AT or the serial port.
 */
/**
 * The `status` values of `modem/state` (README's MQTT contract; the driver's states, src/modem/types.ts — the daemon
 * checks at compile time that the two lists agree, since this room may not import the modem's).
 */
export const MODEM_VIEW_STATUSES = ['disconnected', 'initializing', 'not_initialized', 'ready', 'degraded'] as const;
export type ModemViewStatus = (typeof MODEM_VIEW_STATUSES)[number];

/** What the SIM waits for when it blocks the modem: the +CPIN code and the tries left (null: the modem won't say). */
export interface SimLockView {
  lock: string;
  attempts_left: number | null;
}

/** Network values that are no longer current, with when they were read (`as_of`, ISO 8601). */
export interface LastKnownNetworkView {
  registration: string | null;
  operator: string | null;
  access_technology: string | null;
  signal: { rssi_dbm: number | null; quality: string | null };
  as_of: string;
}

export interface ModemView {
  status: ModemViewStatus;
  reason: string | null;
  /**
   * Machine-readable cause of a `not_initialized` that no retry soon can fix: `sim_pin_required`,
   * `sim_pin_rejected`, `sim_puk`, `sim_locked`, `sim_missing`, `sim_failure`; null otherwise.
   */
  cause: string | null;
  sim_lock: SimLockView | null;
  /**
   * Which modem and card this is (manufacturer, model, revision, IMEI, ICCID; IMSI once the SIM is unlocked), read
   * before the SIM check so a locked or missing SIM still shows it; nulls before the modem first answered.
   */
  identity: ModemIdentityView;
  /** Current values only: null while the modem is not initialised; operator and technology only while registered. */
  registration: string | null;
  operator: string | null;
  access_technology: string | null;
  signal: { rssi_dbm: number | null; quality: string | null };
  storage: { used: number | null; total: number | null };
  /** While the values above are null because the modem is away or not initialised: the last ones read, or null. */
  last_known: LastKnownNetworkView | null;
  /** The cellular data link, present when IP Commands are enabled (src/daemon/data-link.ts). */
  data_link?: DataLinkView;
}

/** What a technician needs to see why IP Commands cannot arrive. Null fields: not known (yet). */
export interface DataLinkView {
  /** ip_commands.interface, or null when the socket is bound by address. */
  interface: string | null;
  interface_present: boolean | null;
  /** The interface's IPv4 address. */
  address: string | null;
  /** Any PDP context active (AT+CGACT?); null when the modem could not be asked. */
  pdp_active: boolean | null;
  /** Addresses of the active contexts (AT+CGPADDR). */
  pdp_addresses: string[];
  /** Where the IP Commands socket listens, or null while it is not bound. */
  ip_commands_listening: { address: string; port: number } | null;
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
  /** Whether a reply may be handed to the modem now (the driver's `canSend`); false while there is no driver. */
  canSend(): boolean;
  identity(): ModemIdentityView;
  /** Full re-initialisation (the `modem/restart` request). */
  restart(): Promise<void>;
  /** Reads everything in storage now (the `sweep` request); resolves when the modem's receive work is done. */
  sweep(): Promise<void>;
}

export const UNKNOWN_MODEM: ModemView = {
  status: 'disconnected',
  reason: 'not started',
  cause: null,
  sim_lock: null,
  identity: { manufacturer: null, model: null, revision: null, imei: null, iccid: null, imsi: null },
  registration: null,
  operator: null,
  access_technology: null,
  signal: { rssi_dbm: null, quality: null },
  storage: { used: null, total: null },
  last_known: null,
};
