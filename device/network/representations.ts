import type { CommandRecord, DataSessionRecord, RatePlanRecord, SimRecord } from './records.js';
import { superSimStatus } from './records.js';
import { isoDate } from './sids.js';

/**
 * Records → the API's JSON, field for field as the OpenAPI specs list them (wireless.v1.command, wireless.v1.sim,
 * wireless.v1.rate_plan, wireless.v1.sim.data_session; supersim.v1.sms_command, supersim.v1.sim).
 * `base` is the absolute base URL including the version (`http://127.0.0.1:8080/v1`).
 */

export function commandJson(record: CommandRecord, accountSid: string, base: string) {
  return {
    sid: record.sid,
    account_sid: accountSid,
    sim_sid: record.simSid,
    command: record.command,
    command_mode: record.mode,
    transport: 'sms',
    delivery_receipt_requested: record.deliveryReceiptRequested,
    status: record.status,
    direction: record.direction,
    date_created: isoDate(record.created),
    date_updated: isoDate(record.updated),
    url: `${base}/Commands/${record.sid}`,
  };
}

export function smsCommandJson(record: CommandRecord, superSimSid: string, accountSid: string, base: string) {
  return {
    sid: record.sid,
    account_sid: accountSid,
    sim_sid: superSimSid,
    payload: record.command,
    status: record.status,
    direction: record.direction,
    date_created: isoDate(record.created),
    date_updated: isoDate(record.updated),
    url: `${base}/SmsCommands/${record.sid}`,
  };
}

export function simJson(sim: SimRecord, accountSid: string, base: string) {
  const url = `${base}/Sims/${sim.sid}`;
  return {
    sid: sim.sid,
    unique_name: sim.uniqueName,
    account_sid: accountSid,
    rate_plan_sid: sim.ratePlanSid,
    friendly_name: sim.friendlyName,
    iccid: sim.iccid,
    e_id: null,
    status: sim.status,
    reset_status: null,
    commands_callback_url: sim.commandsCallbackUrl,
    commands_callback_method: sim.commandsCallbackMethod,
    sms_fallback_method: 'POST',
    sms_fallback_url: null,
    sms_method: 'POST',
    sms_url: null,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    date_created: isoDate(sim.created),
    date_updated: isoDate(sim.updated),
    url,
    links: {
      data_sessions: `${url}/DataSessions`,
      usage_records: `${url}/UsageRecords`,
      ...(sim.ratePlanSid ? { rate_plan: `${base}/RatePlans/${sim.ratePlanSid}` } : {}),
    },
    ip_address: null,
  };
}

export function superSimJson(sim: SimRecord, accountSid: string, base: string) {
  const url = `${base}/Sims/${sim.superSimSid}`;
  return {
    sid: sim.superSimSid,
    unique_name: sim.uniqueName,
    account_sid: accountSid,
    iccid: sim.iccid,
    status: superSimStatus(sim.status),
    fleet_sid: null,
    date_created: isoDate(sim.created),
    date_updated: isoDate(sim.updated),
    url,
    links: { billing_periods: `${url}/BillingPeriods`, sim_ip_addresses: `${url}/IpAddresses` },
  };
}

export function ratePlanJson(plan: RatePlanRecord, accountSid: string, base: string) {
  return {
    sid: plan.sid,
    unique_name: plan.uniqueName,
    account_sid: accountSid,
    friendly_name: plan.friendlyName,
    data_enabled: plan.dataEnabled,
    data_metering: plan.dataMetering,
    data_limit: plan.dataLimit,
    messaging_enabled: plan.messagingEnabled,
    voice_enabled: false,
    national_roaming_enabled: plan.nationalRoamingEnabled,
    national_roaming_data_limit: 0,
    international_roaming: plan.internationalRoaming,
    international_roaming_data_limit: 0,
    date_created: isoDate(plan.created),
    date_updated: isoDate(plan.updated),
    url: `${base}/RatePlans/${plan.sid}`,
  };
}

export function dataSessionJson(session: DataSessionRecord, simSid: string, accountSid: string) {
  return {
    sid: session.sid,
    sim_sid: simSid,
    account_sid: accountSid,
    radio_link: session.radioLink,
    operator_mcc: session.operatorMcc,
    operator_mnc: session.operatorMnc,
    operator_country: session.operatorCountry,
    operator_name: session.operatorName,
    cell_id: session.cellId,
    cell_location_estimate: { lat: 47.6062, lon: -122.3321 },
    packets_uploaded: session.packetsUploaded,
    packets_downloaded: session.packetsDownloaded,
    last_updated: isoDate(session.lastUpdated),
    start: isoDate(session.start),
    end: session.end === null ? null : isoDate(session.end),
    imei: session.imei,
  };
}
