import type { SimStatus } from './sim-status.js';

/**
 * Response shapes of the Wireless API v1 and the Super SIM API v1, typed from the published OpenAPI specs
 * (test/fixtures/api-twilio_wireless_v1.json, components.schemas; api-twilio_supersim_v1.json). Field names are the API's
 * snake_case names; every field the spec marks `nullable` is `| null`.
 */

export type CommandStatus = 'queued' | 'sent' | 'delivered' | 'received' | 'failed';
export type CommandDirection = 'from_sim' | 'to_sim';
export type CommandMode = 'text' | 'binary';
export type CommandTransport = 'sms' | 'ip';
export type HttpMethod = 'GET' | 'POST';

export const COMMAND_STATUSES: readonly CommandStatus[] = ['queued', 'sent', 'delivered', 'received', 'failed'];
export const COMMAND_DIRECTIONS: readonly CommandDirection[] = ['from_sim', 'to_sim'];

/** wireless.v1.command */
export interface Command {
  sid: string | null;
  account_sid: string | null;
  sim_sid: string | null;
  command: string | null;
  command_mode: CommandMode;
  transport: CommandTransport;
  delivery_receipt_requested: boolean | null;
  status: CommandStatus;
  direction: CommandDirection;
  date_created: string | null;
  date_updated: string | null;
  url: string | null;
}

export { SIM_STATUSES, type SimStatus } from './sim-status.js';

/** wireless.v1.sim (the deprecated voice/sms fields are carried as the API returns them). */
export interface Sim {
  sid: string | null;
  unique_name: string | null;
  account_sid: string | null;
  rate_plan_sid: string | null;
  friendly_name: string | null;
  iccid: string | null;
  e_id: string | null;
  status: SimStatus;
  reset_status: 'resetting' | null;
  commands_callback_url: string | null;
  commands_callback_method: HttpMethod | null;
  sms_fallback_method: HttpMethod | null;
  sms_fallback_url: string | null;
  sms_method: HttpMethod | null;
  sms_url: string | null;
  voice_fallback_method: HttpMethod | null;
  voice_fallback_url: string | null;
  voice_method: HttpMethod | null;
  voice_url: string | null;
  date_created: string | null;
  date_updated: string | null;
  url: string | null;
  links: Record<string, string> | null;
  ip_address: string | null;
}

/** wireless.v1.rate_plan */
export interface RatePlan {
  sid: string | null;
  unique_name: string | null;
  account_sid: string | null;
  friendly_name: string | null;
  data_enabled: boolean | null;
  data_metering: string | null;
  data_limit: number;
  messaging_enabled: boolean | null;
  voice_enabled: boolean | null;
  national_roaming_enabled: boolean | null;
  national_roaming_data_limit: number;
  international_roaming: string[] | null;
  international_roaming_data_limit: number;
  date_created: string | null;
  date_updated: string | null;
  url: string | null;
}

/** wireless.v1.sim.data_session */
export interface DataSession {
  sid: string | null;
  sim_sid: string | null;
  account_sid: string | null;
  radio_link: string | null;
  operator_mcc: string | null;
  operator_mnc: string | null;
  operator_country: string | null;
  operator_name: string | null;
  cell_id: string | null;
  cell_location_estimate: { lat: number; lon: number } | null;
  packets_uploaded: number;
  packets_downloaded: number;
  last_updated: string | null;
  start: string | null;
  end: string | null;
  imei: string | null;
}

/** The spec leaves `period`, `commands` and `data` untyped; these are the documented objects (UsageRecord docs). */
export interface UsagePeriod {
  start: string;
  end: string;
}
export interface CommandsUsage {
  billing_unit: string;
  total: number;
  from_sim: number;
  to_sim: number;
  home?: { billing_unit: string; total: number; from_sim: number; to_sim: number };
}
export interface DataUsage {
  billing_unit: string;
  total: number;
  upload: number;
  download: number;
  units?: string;
}

/** wireless.v1.sim.usage_record */
export interface SimUsageRecord {
  sim_sid: string | null;
  account_sid: string | null;
  period: UsagePeriod | null;
  commands: CommandsUsage | null;
  data: DataUsage | null;
}

/** wireless.v1.account_usage_record */
export interface AccountUsageRecord {
  account_sid: string | null;
  period: UsagePeriod | null;
  commands: CommandsUsage | null;
  data: DataUsage | null;
}

export type UsageGranularity = 'hourly' | 'daily' | 'all';

/** supersim.v1.sms_command */
export interface SmsCommand {
  sid: string | null;
  account_sid: string | null;
  sim_sid: string | null;
  payload: string | null;
  status: CommandStatus;
  direction: CommandDirection;
  date_created: string | null;
  date_updated: string | null;
  url: string | null;
}

/** sim_enum_status (Super SIM v1). */
export type SuperSimStatus = 'new' | 'ready' | 'active' | 'inactive' | 'scheduled';

/** supersim.v1.sim */
export interface SuperSim {
  sid: string | null;
  unique_name: string | null;
  account_sid: string | null;
  iccid: string | null;
  status: SuperSimStatus;
  fleet_sid: string | null;
  date_created: string | null;
  date_updated: string | null;
  url: string | null;
  links: Record<string, string> | null;
}

/** The `meta` object of every list response (same in both specs). */
export interface ListMeta {
  first_page_url: string;
  key: string;
  next_page_url: string | null;
  page: number;
  page_size: number;
  previous_page_url: string | null;
  url: string;
}
