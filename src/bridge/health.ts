import type { ModemViewStatus } from './modem-view.js';
import type { Alarm } from './payloads.js';

/** What health is judged from: the same three facts for `/healthz` and the `health_check` request. */
export interface HealthInput {
  brokerConnected: boolean;
  /** The modem's state and why; null while there is no driver (daemon start, `modem/restart`). */
  modem: { status: ModemViewStatus; reason: string | null } | null;
  /** The alarms `bridge/state` carries (the journal cannot be written …). */
  alarms: readonly Alarm[];
}

/**
 * `level`: `ok` when the broker is connected, the modem `ready` and no alarm stands; `down` when the broker is away or
 * the modem is not initialised (disconnected, initialising, SIM locked or missing) — what a restart may fix;
 * `degraded` otherwise: a `degraded` modem (not registered, storage full) or an alarm, which need a person. Only `ok`
 * is healthy.
 */
export interface HealthVerdict {
  healthy: boolean;
  level: 'ok' | 'degraded' | 'down';
  /** Every problem, for people; empty when healthy. */
  problems: string[];
  /** The problems in one sentence, or null when healthy. */
  reason: string | null;
}

/** The one health rule (README "Health"): pure, so both answers agree by construction. */
export function judgeHealth(input: HealthInput): HealthVerdict {
  const problems: string[] = [];
  const status = input.modem?.status ?? 'disconnected';
  const reason = input.modem ? input.modem.reason : 'not started';
  if (!input.brokerConnected) problems.push('mqtt: not connected to the broker');
  if (status !== 'ready') problems.push(`modem: ${status}${reason ? ` (${reason})` : ''}`);
  for (const alarm of input.alarms) problems.push(`alarm ${alarm.code}: ${alarm.message}`);
  const down = !input.brokerConnected || (status !== 'ready' && status !== 'degraded');
  const level = problems.length === 0 ? 'ok' : down ? 'down' : 'degraded';
  return { healthy: level === 'ok', level, problems, reason: problems.length ? problems.join('; ') : null };
}
