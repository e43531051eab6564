import type { Transport } from '../../at/transport.js';
import {
  cnmiCandidates,
  parseCops,
  parseCpmsUsage,
  parseCsca,
  parseCsq,
  parseIccid,
  parseImei,
  parseImsi,
  parseRegistrationQuery,
  parseTextAnswer,
  type Registration,
  readCellDetail,
  selectQuirks,
} from '../../modem/index.js';
import { type PdpContext, pdpContexts } from '../../modem/parsers/pdp-context.js';
import { AtPort, PortHeldError } from '../at-port.js';
import { cellResult } from './cell-check.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import { simProblemOf, simResult } from './sim-result.js';

export interface ModemFacts {
  iccid: string | null;
  imei: string | null;
  /** PDP contexts (AT+CGACT?, AT+CGPADDR; read-only), when doctor asked the modem itself. */
  pdp?: PdpContext[];
  /**
   * Why the SIM cannot be used ("SIM locked", "no SIM"), or null when it is ready. Checks that depend on the SIM
   * (registration, signal, storage, +CNMI, the SMS centre, the API's SIM) are then skipped with this as the reason, so
   * the report names one cause instead of a pile of consequences.
   */
  simProblem: string | null;
}

export interface ProbeResult {
  results: CheckResult[];
  facts: ModemFacts;
}

const QUALITY_HINT = 'move the antenna or the gateway, check the antenna connector; a poor signal delays or loses SMS';

/** Judges registration the same way whether it came from the modem directly or from the daemon. */
export function registrationResult(
  registration: Registration | string | null,
  operator: string | null,
  act: string | null,
): CheckResult {
  const where = [operator, act].filter(Boolean).join(', ');
  const detail = `${registration ?? 'unknown'}${where ? ` (${where})` : ''}`;
  if (registration === 'home' || registration === 'roaming')
    return pass('network.registration', 'network registration', detail);
  if (registration === 'searching')
    return warn(
      'network.registration',
      'network registration',
      detail,
      'still searching: wait a minute; if it stays, check the antenna and that the SIM is active',
    );
  if (registration === 'denied')
    return fail(
      'network.registration',
      'network registration',
      detail,
      'the network refused the SIM: check that the SIM is active (m2m-bridge sims) and its rate plan allows this network',
    );
  return fail(
    'network.registration',
    'network registration',
    detail,
    'not registered: check the antenna, the SIM status, and AT+COPS?',
  );
}

export function signalResult(rssiDbm: number | null, quality: string | null): CheckResult {
  const detail = rssiDbm === null ? (quality ?? 'unknown') : `${rssiDbm} dBm (${quality})`;
  if (quality === 'excellent' || quality === 'good' || quality === 'fair')
    return pass('network.signal', 'signal quality', detail);
  if (quality === 'poor') return warn('network.signal', 'signal quality', detail, QUALITY_HINT);
  return fail('network.signal', 'signal quality', detail, QUALITY_HINT);
}

export function storageResult(used: number | null, total: number | null, memory: string | null): CheckResult {
  if (used === null || total === null)
    return warn(
      'sms.storage',
      'SMS storage',
      'unknown',
      'AT+CPMS? gave no figures; the daemon sweeps storage regularly anyway',
    );
  const detail = `${used} of ${total} used${memory ? ` in ${memory}` : ''}`;
  if (used >= total)
    return fail(
      'sms.storage',
      'SMS storage',
      `${detail}: FULL — new SMS are not stored`,
      'start the daemon (it drains the storage) or send the `sweep` request',
    );
  if (used >= total * 0.8)
    return warn(
      'sms.storage',
      'SMS storage',
      detail,
      'nearly full: is the daemon running and deleting what it journaled?',
    );
  return pass('sms.storage', 'SMS storage', detail);
}

/**
 * The SMS centre (AT+CSCA?, TS 27.005 §3.3.1): every reply goes through it, and a SIM or modem without one fails each
 * send with +CMS ERROR: 330 ("SMSC address unknown").
 */
export function smscResult(address: string | null, unread = 'AT+CSCA? was refused'): CheckResult {
  const title = 'SMS centre';
  if (address === null)
    return warn('sms.smsc', title, unread, 'replies fail with cms_330 if the SIM has no SMS centre');
  if (address === '')
    return fail(
      'sms.smsc',
      title,
      'none set: every reply will fail with +CMS ERROR: 330 (SMSC address unknown)',
      'ask the SIM provider for the SMS centre number and set it once with m2m-bridge at: AT+CSCA="+<number>"',
    );
  return pass('sms.smsc', title, address);
}

/**
 * Judges the store-and-notify setting without changing it: doctor is read-only on the modem. The daemon sets +CNMI
 * itself at every start, so a modem that is not set now passes when AT+CNMI=? offers what the daemon will choose.
 */
function cnmiResult(current: string[] | null, test: string[] | null): CheckResult {
  const title = '+CNMI (new SMS announced)';
  const now = current?.find((line) => line.startsWith('+CNMI:'))?.replace(/^\+CNMI:\s*/, '');
  const mt = now === undefined ? undefined : Number(now.split(',')[1]);
  if (mt === 1) return pass('sms.cnmi', title, `AT+CNMI? → ${now} (new SMS are stored and announced)`);
  const [choice] = test === null ? [] : cnmiCandidates(test);
  const state = now === undefined ? 'AT+CNMI? unreadable' : `AT+CNMI? → ${now}`;
  if (choice)
    return pass(
      'sms.cnmi',
      title,
      `${state}; the daemon sets AT+CNMI=${choice.join(',')} when it starts (offered by AT+CNMI=?)`,
    );
  return warn(
    'sms.cnmi',
    title,
    `${state}, and AT+CNMI=? was refused`,
    'the daemon tries the usual settings and falls back to sweeping every modem.sweep_interval_seconds',
  );
}

const skipped = (id: string, title: string, reason: string) => skip(id, title, `not checked: ${reason}`);

/**
 * Talks to the modem directly (the daemon is not running) with read-only queries only: no ATE0, no AT+CMEE, no
 * AT+CNMI=…, so what doctor reports is the modem as the daemon will find it, and doctor leaves it as it was.
 */
export async function probeModem(
  path: string,
  baudRate: number,
  pin: string | null,
  transport?: Transport,
): Promise<ProbeResult> {
  const results: CheckResult[] = [];
  const facts: ModemFacts = { iccid: null, imei: null, simProblem: null };
  let port: AtPort;
  try {
    port = await AtPort.open(path, baudRate, { ...(transport ? { transport } : {}), maxTimeoutMs: 5_000 });
  } catch (error) {
    results.push(
      fail(
        'modem.open',
        'open the port',
        (error as Error).message,
        error instanceof PortHeldError
          ? 'another program holds the port (see above); stop it, or run doctor while the daemon runs so it asks the daemon'
          : 'check serial.path and permissions',
      ),
    );
    return { results, facts };
  }
  const { channel } = port;
  const ask = (command: string, prefix?: string) => port.ask(command, prefix);
  try {
    // A modem that just woke up may swallow the first AT.
    if (!(await port.answersAt())) {
      results.push(
        fail(
          'modem.at',
          'modem answers AT',
          `no answer on ${path} at ${baudRate} baud`,
          'is this the AT port (not the diagnostic or NMEA port)? check serial.baud_rate; power-cycle the modem',
        ),
      );
      return { results, facts };
    }
    const make = parseTextAnswer((await ask('AT+CGMI')) ?? []) ?? 'unknown';
    const model = parseTextAnswer((await ask('AT+CGMM')) ?? []) ?? 'unknown';
    results.push(pass('modem.at', 'modem answers AT', `${make} ${model}`));

    const cpin = await channel.run('AT+CPIN?', { prefix: '+CPIN:' }).then(
      (r) => r.lines.join(' '),
      (error: unknown) => (error as Error).message,
    );
    const sim = simResult(cpin, Boolean(pin));
    results.push(sim);
    if (sim.status === 'fail') facts.simProblem = simProblemOf(cpin);

    facts.imei = parseImei((await ask('AT+CGSN')) ?? []) ?? null;
    // The IMSI needs the SIM unlocked; a locked one answers +CME ERROR and the IMSI is "unreadable".
    const imsi = facts.simProblem === null ? (parseImsi((await ask('AT+CIMI')) ?? []) ?? null) : null;
    for (const command of ['AT+CCID', 'AT+QCCID', 'AT+ICCID', 'AT^ICCID?']) {
      const lines = await ask(command);
      facts.iccid = lines ? (parseIccid(lines) ?? null) : null;
      if (facts.iccid) break;
    }
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
            `ICCID ${facts.iccid ?? 'unreadable'}, IMEI ${facts.imei ?? 'unreadable'}, IMSI ${imsi ?? 'unreadable'}`,
            'an unreadable ICCID usually means the SIM is not ready',
          ),
    );

    if (facts.simProblem !== null) {
      const reason = facts.simProblem;
      results.push(
        skipped('network.registration', 'network registration', reason),
        skipped('network.signal', 'signal quality', reason),
        skipped('network.cell', 'serving cell', reason),
        skipped('sms.storage', 'SMS storage', reason),
        skipped('sms.smsc', 'SMS centre', reason),
        skipped('sms.cnmi', '+CNMI (new SMS announced)', reason),
      );
      return { results, facts };
    }

    const lte = await ask('AT+CEREG?', '+CEREG:');
    const gsm = await ask('AT+CREG?', '+CREG:');
    const registration =
      [lte && parseRegistrationQuery(lte, '+CEREG:'), gsm && parseRegistrationQuery(gsm, '+CREG:')].find(
        (r) => r === 'home' || r === 'roaming',
      ) ??
      (lte && parseRegistrationQuery(lte, '+CEREG:')) ??
      (gsm && parseRegistrationQuery(gsm, '+CREG:')) ??
      null;
    const operator = parseCops((await ask('AT+COPS?', '+COPS:')) ?? []);
    results.push(registrationResult(registration, operator.name ?? null, operator.accessTechnology ?? null));
    const signal = parseCsq((await ask('AT+CSQ', '+CSQ:')) ?? []);
    results.push(signalResult(signal.rssi_dbm, signal.quality));
    // Queries only (doctor changes no setting): the vendor's serving-cell query and what +COPS/+CEREG show as set.
    const quirks = selectQuirks('auto', make, model);
    const cell = await readCellDetail(ask, quirks, { mayChangeFormats: false });
    results.push(cellResult(cell, null));

    facts.pdp = pdpContexts((await ask('AT+CGACT?', '+CGACT:')) ?? [], (await ask('AT+CGPADDR', '+CGPADDR:')) ?? []);

    const usage = parseCpmsUsage((await ask('AT+CPMS?', '+CPMS:')) ?? [])[0];
    results.push(storageResult(usage?.used ?? null, usage?.total ?? null, usage?.memory ?? null));

    const csca = await ask('AT+CSCA?', '+CSCA:');
    results.push(smscResult(csca === null ? null : (parseCsca(csca) ?? '')));
    results.push(cnmiResult(await ask('AT+CNMI?', '+CNMI:'), await ask('AT+CNMI=?', '+CNMI:')));
  } finally {
    await port.close();
  }
  return { results, facts };
}
