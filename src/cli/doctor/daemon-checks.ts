import { isInitialised } from '../../modem/index.js';
import { cellResult } from './cell-check.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import {
  type ModemFacts,
  type ProbeResult,
  registrationResult,
  signalResult,
  smscResult,
  storageResult,
} from './modem-probe.js';
import type { AtReply, DaemonAnswer } from './mqtt-probe.js';
import { simProblemOf, simResult } from './sim-result.js';

/** What doctor asks the running daemon to run on its channel; both are on the `at` request's read-only list. */
export const DAEMON_AT_QUERIES = ['AT+CPIN?', 'AT+CNMI?'] as const;

const VIA_DAEMON_HINT = 'wait until modem/state is ready, or see the daemon log: journalctl -u m2m-bridge -n 100';

/** The modem's whole answer as one line: information lines, then the final result unless it is a plain OK. */
function answerText(reply: Extract<AtReply, { ok: true }>): string {
  return [...reply.lines, reply.final === 'OK' ? '' : reply.final].filter(Boolean).join(' ');
}

/**
 * The SIM through the daemon: its AT+CPIN? answer when the daemon could ask; otherwise (the driver closed the port
 * after a failed init, e.g. a PIN problem) the reason the daemon gives for its modem state.
 */
function daemonSimResult(reply: AtReply | undefined, reason: string | null, pinConfigured: boolean): CheckResult {
  if (reply?.ok) return simResult(answerText(reply), pinConfigured);
  // The driver cycles through initializing (no reason) while it retries, so the modem state read at that moment may
  // say nothing; the refusal of the AT request carries the same reason ("modem is not_initialized: SIM PIN required …").
  const refusal = reply && !reply.ok ? reply.error.replace(/^modem is \w+: /, '') : null;
  const simReason = [reason, refusal].find((text) => text && /\bSIM\b|PIN|PUK/.test(text)) ?? null;
  if (simReason) {
    const hint = /rejected|refused|not retried|after it was sent/.test(simReason)
      ? 'put the right PIN in modem.pin_file, then reload the daemon (systemctl kill -s HUP m2m-bridge); it never sends a refused PIN again: three wrong tries lock the SIM'
      : /modem\.pin is not configured/.test(simReason)
        ? 'set modem.pin_file (a file holding the PIN) in the config, then reload the daemon (systemctl kill -s HUP m2m-bridge)'
        : /PUK/.test(simReason)
          ? 'unlock it in a phone with the PUK from the SIM provider; the daemon never tries a PUK'
          : 'check that the SIM is inserted and seated (power off first)';
    return fail('sim.ready', 'SIM ready', `the daemon reports: ${simReason}`, hint);
  }
  return warn(
    'sim.ready',
    'SIM ready',
    `could not ask the modem through the daemon: ${reply?.error ?? 'not asked'}`,
    VIA_DAEMON_HINT,
  );
}

/**
 * +CNMI through the daemon. The driver does not report which +CNMI it set, so doctor reads the modem's current
 * setting with AT+CNMI? (TS 27.005 §3.4.1: <mode>,<mt>,…): what counts is that it still stores and announces new SMS
 * (mt=1), whoever set it — a modem that rebooted unnoticed, or another program on the port, may have changed it.
 */
function daemonCnmiResult(reply: AtReply | undefined): CheckResult {
  const title = '+CNMI accepted';
  if (!reply?.ok || reply.final !== 'OK')
    return warn(
      'sms.cnmi',
      title,
      `could not read +CNMI through the daemon: ${reply ? (reply.ok ? reply.final : reply.error) : 'not asked'}`,
      VIA_DAEMON_HINT,
    );
  const match = reply.lines.map((line) => /^\+CNMI:\s*(\d+(?:\s*,\s*\d+)*)\s*$/.exec(line)).find(Boolean);
  const fields = match?.[1] ? match[1].split(',').map((field) => Number(field.trim())) : [];
  const mt = fields[1];
  const setting = `AT+CNMI? → ${fields.join(',')}`;
  const redo = 'restart the daemon (it sets +CNMI again); if it comes back, look for another program on the port';
  if (mt === 1)
    return pass('sms.cnmi', title, `${setting} (new SMS are stored and announced; read through the daemon)`);
  if (mt === 0)
    return fail(
      'sms.cnmi',
      title,
      `${setting}: new SMS are not announced, the daemon only finds them by its sweep (modem.sweep_interval_seconds)`,
      redo,
    );
  if (mt === 2 || mt === 3)
    return warn(
      'sms.cnmi',
      title,
      `${setting}: new SMS are handed over without being stored (+CMT), so one arriving while the daemon is down is lost`,
      redo,
    );
  return warn('sms.cnmi', title, `unexpected answer: ${answerText(reply)}`, 'report it with the modem model');
}

/** The modem checks from the running daemon's health_check, bridge/info and its `at` answers. */
export function daemonModemChecks(answer: DaemonAnswer, pinConfigured: boolean): ProbeResult {
  const modem = answer.health.modem;
  const identity = answer.info?.modem ?? null;
  const results: CheckResult[] = [];
  const status = answer.status?.modem;
  const imsi = status?.identity?.imsi ?? null;
  const ok = isInitialised(modem.status);
  results.push(
    ok
      ? pass(
          'modem.at',
          'modem (via the daemon)',
          `${modem.status}${identity?.model ? `: ${identity.manufacturer ?? ''} ${identity.model}`.trimEnd() : ''}`,
        )
      : fail(
          'modem.at',
          'modem (via the daemon)',
          `${modem.status}: ${modem.reason ?? 'no reason given'}`,
          'see the daemon log: journalctl -u m2m-bridge -n 100',
        ),
  );
  const sim = daemonSimResult(answer.at['AT+CPIN?'], modem.reason, pinConfigured);
  results.push(sim);
  const facts: ModemFacts = {
    iccid: identity?.iccid ?? null,
    imei: identity?.imei ?? null,
    simProblem: sim.status === 'fail' ? simProblemOf(sim.detail) : null,
  };
  results.push(
    facts.iccid && facts.imei
      ? pass(
          'modem.identity',
          'ICCID and IMEI',
          `ICCID ${facts.iccid}, IMEI ${facts.imei}, IMSI ${imsi ?? 'unreadable'}`,
        )
      : warn(
          'modem.identity',
          'ICCID and IMEI',
          'not reported yet',
          'the daemon reads them during init; wait for modem state ready',
        ),
  );
  if (modem.status === 'degraded' && modem.reason)
    results.push(warn('modem.degraded', 'modem health', modem.reason, 'see the daemon log'));
  if (facts.simProblem !== null) {
    // One cause, not a pile: what depends on the SIM is skipped with it as the reason.
    const reason = `not checked: ${facts.simProblem}`;
    results.push(
      skip('network.registration', 'network registration', reason),
      skip('network.signal', 'signal quality', reason),
      skip('network.cell', 'serving cell', reason),
      skip('sms.storage', 'SMS storage', reason),
      skip('sms.smsc', 'SMS centre', reason),
      skip('sms.cnmi', '+CNMI (new SMS announced)', reason),
    );
    return { results, facts };
  }
  results.push(registrationResult(modem.registration, modem.operator, modem.access_technology));
  results.push(signalResult(modem.signal.rssi_dbm, modem.signal.quality));
  // An older daemon without cell detail in its status answer: not a fault of the gateway, so only a skip.
  results.push(
    status
      ? cellResult(status.cell ?? null, status.detail_unavailable ?? null)
      : cellResult(null, 'the daemon sent no status'),
  );
  results.push(storageResult(modem.storage.used, modem.storage.total, null));
  if (status)
    results.push(
      smscResult(
        status.sms_centre ?? null,
        `could not read AT+CSCA? through the daemon: ${status.detail_unavailable ?? 'refused'}`,
      ),
    );
  results.push(daemonCnmiResult(answer.at['AT+CNMI?']));
  return { results, facts };
}
