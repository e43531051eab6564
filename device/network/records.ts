import { SIM_STATUSES, type SimStatus } from '../../src/wireless/sim-status.js';
import type { SmsLink } from './sms-link.js';

/** The emulator's in-memory records. Representations (representations.ts) turn them into the API's JSON shapes. */

export { SIM_STATUSES, type SimStatus };
export type CommandStatus = 'queued' | 'sent' | 'delivered' | 'received' | 'failed';
export type Direction = 'to_sim' | 'from_sim';
export type HttpMethod = 'GET' | 'POST';
/** Which API a Command belongs to: Wireless v1 Commands, or Super SIM SmsCommands. */
export type Product = 'wireless' | 'supersim';

export interface RatePlanRecord {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  messagingEnabled: boolean;
  dataEnabled: boolean;
  dataLimit: number;
  dataMetering: string;
  nationalRoamingEnabled: boolean;
  internationalRoaming: string[];
  created: number;
  updated: number;
}

export interface DataSessionRecord {
  sid: string;
  radioLink: string;
  operatorMcc: string;
  operatorMnc: string;
  operatorCountry: string;
  operatorName: string;
  cellId: string;
  imei: string | null;
  start: number;
  lastUpdated: number;
  end: number | null;
  packetsUploaded: number;
  packetsDownloaded: number;
}

export interface SimRecord {
  sid: string;
  superSimSid: string;
  iccid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  status: SimStatus;
  ratePlanSid: string | null;
  commandsCallbackUrl: string | null;
  commandsCallbackMethod: HttpMethod;
  created: number;
  updated: number;
  /** The simulated radio path to the device; null when no device is attached (Commands to it fail). */
  link: SmsLink | null;
  dataSessions: DataSessionRecord[];
}

export interface CommandRecord {
  product: Product;
  sid: string;
  simSid: string;
  /** Text, or base64 in binary mode (the API's representation). */
  command: string;
  mode: 'text' | 'binary';
  direction: Direction;
  status: CommandStatus;
  deliveryReceiptRequested: boolean;
  includeSid: 'none' | 'start' | 'end';
  callbackUrl: string | null;
  callbackMethod: HttpMethod;
  created: number;
  updated: number;
}

/** Super SIM has its own status enum (supersim sim_enum_status); the emulator keeps one status per SIM. */
export function superSimStatus(status: SimStatus): 'new' | 'ready' | 'active' | 'inactive' | 'scheduled' {
  switch (status) {
    case 'new':
    case 'ready':
    case 'active':
    case 'scheduled':
      return status;
    default:
      return 'inactive';
  }
}

/** A SIM can send and receive Commands only when ready or active (error 33104 names these two). */
export function simCanMessage(status: SimStatus): boolean {
  return status === 'ready' || status === 'active';
}
