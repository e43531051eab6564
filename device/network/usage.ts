import { invalidParameter } from './api-errors.js';
import { optionalEnum } from './form.js';
import type { CommandRecord } from './records.js';
import { isoDate } from './sids.js';

/**
 * UsageRecords derived from the Commands the emulator carried: per period, Commands to and from the SIM(s), and the
 * data those SMS took (their body bytes; see traffic.ts). Start/End default to the 30 days up to now; Granularity
 * hourly | daily | all (default all: one record for the whole period), as ListUsageRecord documents.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_BUCKETS = 2_000;

function dateParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalidParameter(name, `must be an ISO 8601 date-time, got ${JSON.stringify(raw)}`);
  return ms;
}

export function usagePeriods(query: URLSearchParams, now: number): Array<{ start: number; end: number }> {
  const granularity = optionalEnum(query, 'Granularity', ['hourly', 'daily', 'all'] as const) ?? 'all';
  const end = dateParam(query, 'End') ?? now;
  const start = dateParam(query, 'Start') ?? end - 30 * DAY;
  if (start > end) throw invalidParameter('Start', 'must not be after End');
  if (granularity === 'all') return [{ start, end }];
  const step = granularity === 'hourly' ? HOUR : DAY;
  const first = Math.floor(start / step) * step;
  if ((end - first) / step > MAX_BUCKETS) throw invalidParameter('Granularity', 'too many periods; narrow Start/End');
  const periods: Array<{ start: number; end: number }> = [];
  for (let t = first; t < end; t += step) periods.push({ start: t, end: Math.min(t + step, end) });
  return periods;
}

function commandBytes(record: CommandRecord): number {
  return record.mode === 'binary' ? Buffer.from(record.command, 'base64').length : Buffer.byteLength(record.command);
}

/** The usage of `commands` (already narrowed to one SIM or the account) in one period. */
export function usageIn(commands: readonly CommandRecord[], period: { start: number; end: number }) {
  let toSim = 0;
  let fromSim = 0;
  let upload = 0;
  let download = 0;
  for (const record of commands) {
    if (record.created < period.start || record.created >= period.end) continue;
    if (record.direction === 'from_sim') {
      fromSim += 1;
      upload += commandBytes(record);
    } else if (record.status === 'sent' || record.status === 'delivered') {
      toSim += 1;
      download += commandBytes(record);
    }
  }
  return {
    period: { start: isoDate(period.start), end: isoDate(period.end) },
    commands: {
      billing_unit: 'USD',
      from_sim: fromSim,
      to_sim: toSim,
      total: fromSim + toSim,
      total_price: 0,
      home: { billing_unit: 'USD', from_sim: fromSim, to_sim: toSim, total: fromSim + toSim, total_price: 0 },
      national_roaming: { billing_unit: 'USD', from_sim: 0, to_sim: 0, total: 0, total_price: 0 },
      international_roaming: [],
    },
    data: {
      billing_unit: 'USD',
      units: 'bytes',
      upload,
      download,
      total: upload + download,
      total_price: 0,
    },
  };
}
