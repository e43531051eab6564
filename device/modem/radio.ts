import { DEFAULT_CELL, type SimulatedCell, updateCell } from './cell.js';
import type { PowerState } from './modem-core.js';
import type {
  FaultAccess,
  ModemIdentity,
  RadioAccess,
  SettingsHolder,
  SimAccess,
  Timers,
  UrcSink,
} from './modem-host.js';

/** What the radio reads of the rest of the core (modem-core.ts implements it) and tells it. */
type RadioHost = Pick<ModemIdentity, 'profile'> &
  Pick<SettingsHolder, 'settings'> &
  Pick<FaultAccess, 'faults'> &
  Pick<SimAccess, 'simError'> &
  Pick<UrcSink, 'urc' | 'event'> &
  Pick<Timers, 'later'> & { readonly power: PowerState };

/** The network the radio finds, as the simulator's options set it. */
interface RadioNetwork {
  operator?: string;
  /** Registered on the home network (stat 1) or roaming (stat 5, usual for IoT SIMs). */
  roaming?: boolean;
  pdpAddress?: string | null;
  cell?: Partial<SimulatedCell>;
}

/**
 * The modem's radio side: functionality level (+CFUN), registration and signal with the URCs that report their
 * changes, the serving cell and the data session. It is its own piece because registration follows from everything
 * else (power, SIM, faults, settings) but nothing else follows from it except MT delivery; the core (modem-core.ts)
 * hands it those readings through RadioHost and answers RadioAccess with it.
 */
export class Radio implements RadioAccess {
  private functionality = 1;
  private lastStat = -1;
  private lastRssi = -1;
  /** PDP context 1's address while a data session is up (the OS brings it up; AT only reads it). */
  private dataSessionAddress: string | null;
  /** The serving cell (cell.ts); survives reboots, as the network does. */
  private servingCell: SimulatedCell;

  constructor(
    private readonly host: RadioHost,
    private readonly network: RadioNetwork,
    /** The modem is registered (again): messages the network held can be delivered now. */
    private readonly onRegistered: () => void,
  ) {
    this.dataSessionAddress = network.pdpAddress ?? null;
    this.servingCell = updateCell(DEFAULT_CELL, network.cell ?? {});
  }

  get operator(): string {
    return this.network.operator ?? 'Twilio';
  }

  get cfun(): number {
    return this.functionality;
  }

  setFunctionality(fun: number): void {
    this.functionality = fun;
    this.host.later(0, () => this.updateRegistration());
  }

  get pdpAddress(): string | null {
    return this.dataSessionAddress;
  }

  /** Starts (an address) or ends (null) the data session the OS would bring up. */
  setDataSession(address: string | null): void {
    this.dataSessionAddress = address;
  }

  get cell(): SimulatedCell {
    return this.servingCell;
  }

  /** Moves to another cell or changes what the modem measures; throws CellSpecError for an unknown or bad field. */
  setCell(update: Record<string, unknown>): SimulatedCell {
    this.servingCell = updateCell(this.servingCell, update);
    this.host.event('cell', this.servingCell);
    return this.servingCell;
  }

  /** The firmware starts: full functionality, and the first registration and signal are reported whatever they are. */
  powerOn(): void {
    this.functionality = 1;
    this.lastStat = -1;
    this.lastRssi = -1;
  }

  /** <stat> of +CREG/+CGREG/+CEREG (TS 27.007 §7.2): 0 not searching, 1 home, 2 searching, 5 roaming. */
  registrationStat(): number {
    if (this.host.power !== 'on' || this.functionality !== 1 || this.host.simError() !== undefined) return 0;
    if (this.host.faults.noNetwork) return 2;
    return this.network.roaming ? 5 : 1;
  }

  isRegistered(): boolean {
    const stat = this.registrationStat();
    return stat === 1 || stat === 5;
  }

  /** Registration URCs when the status changed, in the form each +CxREG=<n> asks for. */
  updateRegistration(): void {
    const stat = this.registrationStat();
    if (stat === this.lastStat) return;
    this.lastStat = stat;
    const { settings, profile } = this.host;
    // The serving cell's location (cell.ts): +CEREG names the TAC, +CREG/+CGREG the LAC.
    const location = (area: string) => (this.isRegistered() ? `,"${area}","${this.servingCell.cellId}"` : '');
    const act = this.isRegistered() ? `,${profile.accessTechnology}` : '';
    for (const [name, n, area] of [
      ['+CREG', settings.creg, this.servingCell.lac],
      ['+CGREG', settings.cgreg, this.servingCell.lac],
      ['+CEREG', settings.cereg, this.servingCell.tac],
    ] as const) {
      if (n === 1) this.host.urc([`${name}: ${stat}`]);
      else if (n >= 2) this.host.urc([`${name}: ${stat}${location(area)}${act}`]);
    }
    this.host.event('registration', { stat });
    this.reportSignal();
    if (this.isRegistered()) this.onRegistered();
  }

  /** Signal quality as +CSQ <rssi> (0-31, 99 unknown). */
  rssi(): number {
    return this.isRegistered() ? 20 : 99;
  }

  /** The vendor's signal URC when <rssi> changed and it is switched on (settings.signalUrc). */
  private reportSignal(): void {
    const rssi = this.rssi();
    if (rssi === this.lastRssi) return;
    this.lastRssi = rssi;
    const { settings, profile } = this.host;
    if (settings.signalUrc && profile.signalUrc) this.host.urc([profile.signalUrc(rssi, 99)]);
  }
}
