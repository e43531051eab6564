import type { DataSessionRecord, SimRecord } from './records.js';
import type { DeviceInfo } from './sms-link.js';

/**
 * Plausible DataSessions: one session opens when a device attaches to the SIM; every SMS the network carries for the
 * SIM counts as signalling traffic on it (one packet per started 100 bytes, at least one), so packets and the
 * UsageRecords' data totals follow what the simulation did. Operator defaults are T-Mobile USA, the home network the
 * RatePlan docs name.
 */
const BYTES_PER_PACKET = 100;

export function newDataSession(sid: string, now: number, info: DeviceInfo): DataSessionRecord {
  return {
    sid,
    radioLink: info.radioLink ?? 'LTE',
    operatorMcc: info.operatorMcc ?? '310',
    operatorMnc: info.operatorMnc ?? '260',
    operatorCountry: 'USA',
    operatorName: info.operatorName ?? 'T-Mobile',
    cellId: info.cellId ?? '2D4A1B',
    imei: info.imei ?? null,
    start: now,
    lastUpdated: now,
    end: null,
    packetsUploaded: 0,
    packetsDownloaded: 0,
  };
}

function packetsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / BYTES_PER_PACKET));
}

/** Adds one SMS worth of traffic to the SIM's open session (if a device ever attached). */
export function recordTraffic(sim: SimRecord, direction: 'up' | 'down', bytes: number, now: number): void {
  const session = sim.dataSessions.at(-1);
  if (!session || session.end !== null) return;
  if (direction === 'up') session.packetsUploaded += packetsFor(bytes);
  else session.packetsDownloaded += packetsFor(bytes);
  session.lastUpdated = now;
}
