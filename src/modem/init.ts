import type { AtChannel } from '../at/channel.js';
import { AtError, isAtError } from '../at/errors.js';
import { type Clock, sleep } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { cnmiCandidates, formatCnmi } from './parsers/cnmi.js';
import { parseIccid, parseImei, parseImsi, parseTextAnswer } from './parsers/identity.js';
import { chooseMemory, type MemoryUse, parseCpmsTest, parseCpmsUsage } from './parsers/storage.js';
import { type ModemProfileName, type ModemQuirks, selectQuirks } from './quirks/index.js';
import { causeOfLock, describeSimBlock, type RefusedPinSet, readAttemptsLeft, type SimBlock } from './sim-block.js';
import type { ModemIdentity } from './types.js';

/**
 * An init step that cannot succeed by retrying soon (no SIM, PIN missing or wrong, SMS service never ready). With
 * `sim` it is a blocked SIM (sim-block.ts): the driver waits calmly and rechecks slowly instead of re-initialising.
 */
export class ModemInitError extends Error {
  override name = 'ModemInitError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly sim: SimBlock | null = null,
  ) {
    super(message);
  }
}

export interface InitOptions {
  channel: AtChannel;
  clock: Clock;
  logger: Logger;
  pin: string | undefined;
  /** PINs the SIM refused: never sent again (sim-block.ts). */
  refusedPins: RefusedPinSet;
  storage: string;
  profile: ModemProfileName;
  /** How long to keep retrying SIM busy / SMS not ready before giving up this attempt. */
  readyTimeoutMs: number;
  signal: AbortSignal;
  /** Longest deadline of one sync probe. */
  maxProbeMs?: number;
  /** The identity as read before the SIM check (IMSI null) and the quirks it chose, so a blocked SIM still shows it. */
  onIdentity?(identity: ModemIdentity, quirks: ModemQuirks): void;
}

export interface InitResult {
  quirks: ModemQuirks;
  identity: ModemIdentity;
  memory: string;
  /** All memories +CPMS offers for reading, for sweeps. */
  readableMemories: string[];
  usage: MemoryUse | undefined;
  cnmi: string | undefined;
  /** Where status reports are stored when not in `memory` (SR with +CNMI <ds>=2), for the periodic sweep. */
  reportMemory: string | undefined;
  /** The modem accepted the vendor's signal-URC command (ModemQuirks.signalUrc): +CSQ polls can stop once it reports. */
  signalUrcs: boolean;
}

/**
 * Re-sync (the first rung of the recovery ladder): probe until the modem answers, and make sure the answer is really
 * ours. After a timeout the late final of the old command may still arrive and be taken for the probe's, leaving
 * every later command one answer behind. The probe is `AT+CMEE?`, whose answer carries a `+CMEE:` line: an OK
 * without it was somebody else's, so the probe's own answer is absorbed before probing again.
 */
export async function syncModem(
  channel: AtChannel,
  clock: Clock,
  attempts = 10,
  signal?: AbortSignal,
  maxProbeMs = 8000,
): Promise<boolean> {
  let probeDeadline = Math.min(1000, maxProbeMs);
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await channel.run('AT+CMEE?', { prefix: '+CMEE:', timeoutMs: probeDeadline });
      if (res.lines.length > 0) return true;
      await channel.absorbLateFinal(probeDeadline);
    } catch (error) {
      if (isAtError(error, 'disconnected') || isAtError(error, 'canceled')) throw error;
      // ERROR / +CME ERROR: the modem is alive but has no +CMEE? (old firmware): plain AT is the best we can do.
      if (isAtError(error) && error.kind !== 'timeout') {
        try {
          await channel.run('AT', { timeoutMs: probeDeadline });
          return true;
        } catch (inner) {
          if (isAtError(inner, 'disconnected') || isAtError(inner, 'canceled')) throw inner;
        }
        await sleep(clock, 200, signal);
      }
      // A slow modem gets a longer deadline on each try (1 s, 2 s, 4 s, capped at 8 s).
      probeDeadline = Math.min(probeDeadline * 2, maxProbeMs);
    }
  }
  return false;
}

/** Runs `command`; an AtError of kind cme/cms/error resolves to undefined instead (optional features). */
async function optional(channel: AtChannel, command: string, prefix?: string): Promise<string[] | undefined> {
  try {
    return (await channel.run(command, prefix ? { prefix } : {})).lines;
  } catch (error) {
    if (isAtError(error) && (error.kind === 'cme' || error.kind === 'cms' || error.kind === 'error')) return undefined;
    throw error;
  }
}

/**
 * The init sequence, run after every open and every recovery: sync, ATE0, +CMEE=1, identity and vendor quirks, SIM ready (PIN from config, SIM busy
 * retried), SMS ready (poll +CPMS? until it answers), +CMGF=0, +CPMS on all three memories, +CNMI store-and-notify
 * with fallbacks. Safe to run again at any time (after a reboot, after re-sync).
 */
export async function initializeModem(options: InitOptions): Promise<InitResult> {
  const { channel, clock, logger } = options;
  if (!(await syncModem(channel, clock, 10, options.signal, options.maxProbeMs)))
    throw new AtError('timeout', 'modem does not answer AT');
  await optional(channel, 'ATE0');
  await optional(channel, 'AT+CMEE=1');
  const manufacturer = parseTextAnswer((await optional(channel, 'AT+CGMI')) ?? [], '+CGMI:') ?? '';
  const model = parseTextAnswer((await optional(channel, 'AT+CGMM')) ?? [], '+CGMM:') ?? '';
  const quirks = selectQuirks(options.profile, manufacturer, model);
  logger.info({ manufacturer, model, quirks: quirks.name }, 'modem identified');
  // Before the SIM check, so a locked or missing SIM still shows which modem and card this is (the ICCID is on the
  // card and readable without its PIN); the IMSI needs the unlocked SIM.
  const identity = await readIdentity(channel, quirks, manufacturer, model);
  options.onIdentity?.({ ...identity }, quirks);

  await unlockSim({ ...options, simId: simIdOf(identity) });
  await waitForSms(options);
  identity.imsi = parseImsi((await optional(channel, 'AT+CIMI')) ?? []) ?? null;
  // A modem that reads the card only once it is unlocked answers now.
  identity.iccid ??= await readIccid(channel, quirks);
  await channel.run('AT+CMGF=0');

  const offered = parseCpmsTest((await optional(channel, 'AT+CPMS=?', '+CPMS:')) ?? []) ?? [[], [], []];
  const memory = chooseMemory(offered, options.storage, quirks.storageOrder) ?? 'SM';
  const set = await channel.run(`AT+CPMS="${memory}","${memory}","${memory}"`, { prefix: '+CPMS:' });
  const usage = parseCpmsUsage(set.lines)[0];
  const cnmi = await configureCnmi(channel, logger);

  // Registration by URC instead of polling (3GPP TS 27.007 §7.2: <n>=2 reports `+CREG: <stat>[,<lac>,<ci>[,<AcT>]]`
  // on every change); <n>=1 (stat only) where 2 is refused. +CEREG is the EPS domain an LTE-only modem registers in
  // (§10.1.22); modems without it refuse it, which is fine.
  if ((await optional(channel, 'AT+CREG=2')) === undefined) await optional(channel, 'AT+CREG=1');
  await optional(channel, 'AT+CEREG=2');
  await optional(channel, 'AT+COPS=3,0');
  const signalUrcs = await enableSignalUrcs(channel, quirks);
  const readable = offered[0].filter((m) => ['SM', 'ME', 'MT', 'SR'].includes(m));
  return {
    quirks,
    identity,
    memory,
    readableMemories: readable.length ? readable : [memory],
    usage,
    cnmi,
    reportMemory: statusReportMemory(readable, cnmi),
    signalUrcs,
  };
}

/** Manufacturer, model, revision, IMEI and ICCID: none of them needs an unlocked SIM. IMSI is null here. */
async function readIdentity(
  channel: AtChannel,
  quirks: ModemQuirks,
  manufacturer: string,
  model: string,
): Promise<ModemIdentity> {
  return {
    manufacturer: manufacturer || null,
    model: model || null,
    revision:
      parseTextAnswer((await optional(channel, 'AT+CGMR')) ?? [], '+CGMR:')?.replace(/^Revision:\s*/i, '') ?? null,
    imei: parseImei((await optional(channel, 'AT+CGSN')) ?? []) ?? null,
    imsi: null,
    iccid: await readIccid(channel, quirks),
  };
}

/** The ICCID by the first of the vendor's commands that gives one (quirks.iccidCommands), else null. */
async function readIccid(channel: AtChannel, quirks: ModemQuirks): Promise<string | null> {
  for (const { command, prefix } of quirks.iccidCommands) {
    const lines = await optional(channel, command, prefix);
    const iccid = lines ? parseIccid(lines) : undefined;
    if (iccid) return iccid;
  }
  return null;
}

/** Which SIM a refused PIN belongs to: its ICCID, or the modem's IMEI when the card could not be read. */
export function simIdOf(identity: Pick<ModemIdentity, 'iccid' | 'imei'>): string | null {
  if (identity.iccid) return `iccid:${identity.iccid}`;
  return identity.imei ? `imei:${identity.imei}` : null;
}

/** The first of the vendor's signal-URC commands the modem accepts; false when it has none or refuses them all. */
async function enableSignalUrcs(channel: AtChannel, quirks: ModemQuirks): Promise<boolean> {
  for (const command of quirks.signalUrc?.enableCommands ?? []) {
    if ((await optional(channel, command)) !== undefined) return true;
  }
  return false;
}

/**
 * Where the modem stores status reports: with +CNMI <ds>=2 (3GPP TS 27.005 §3.4.1, "stored, indicated by +CDSI") or
 * no +CNMI at all, in SR when the modem offers it; with <ds>=1 they come as +CDS and are not stored.
 */
function statusReportMemory(readable: readonly string[], cnmi: string | undefined): string | undefined {
  const ds = cnmi === undefined ? undefined : Number(cnmi.replace(/^AT\+CNMI=/, '').split(',')[3]);
  if (ds === 1) return undefined;
  return readable.includes('SR') ? 'SR' : undefined;
}

/** The SIM options init needs; the recheck of a blocked SIM (session.ts) runs the same step with them. */
export type SimOptions = Pick<
  InitOptions,
  'channel' | 'clock' | 'pin' | 'refusedPins' | 'readyTimeoutMs' | 'signal'
> & {
  /** The SIM the PINs are refused for (simIdOf), null when neither its ICCID nor the IMEI could be read. */
  simId: string | null;
};

/** A SIM that no retry soon can help: the error carries its cause, the lock and the tries left. */
async function blocked(options: SimOptions, code: string | null, cause: SimBlock['cause']): Promise<ModemInitError> {
  const sim_lock = code === null ? null : { lock: code, attempts_left: await readAttemptsLeft(options.channel, code) };
  const reason = describeSimBlock(cause, sim_lock);
  return new ModemInitError(reason, false, { cause, sim_lock, reason });
}

/**
 * Waits for the SIM to be ready, entering the configured PIN once. Resolves when +CPIN? says READY; throws a
 * ModemInitError with `sim` when it is blocked (missing, failed, locked, PIN refused), or a retryable one when it
 * stays busy past readyTimeoutMs. A refused PIN is remembered in `refusedPins` and never sent again (three wrong
 * tries lock the SIM behind its PUK).
 */
export async function unlockSim(options: SimOptions): Promise<void> {
  const deadline = options.clock.now() + options.readyTimeoutMs;
  let pinSent = false;
  for (;;) {
    let state: string;
    try {
      const res = await options.channel.run('AT+CPIN?', { prefix: '+CPIN:' });
      state = parseTextAnswer(res.lines, '+CPIN:')?.toUpperCase() ?? '';
    } catch (error) {
      if (!isAtError(error) || (error.kind !== 'cme' && error.kind !== 'cms' && error.kind !== 'error')) throw error;
      // TS 27.007 §9.2: 10 SIM not inserted, 13 SIM failure; a loose contact is rechecked slowly, not in a loop.
      if (error.code === 10) throw await blocked(options, null, 'sim_missing');
      if (error.code === 13) throw await blocked(options, null, 'sim_failure');
      state = 'BUSY';
    }
    if (state === 'READY') {
      options.refusedPins.forget(options.simId);
      return;
    }
    // Accepted with OK, yet the SIM still asks: as good as refused, and not sent a second time.
    if (state === 'SIM PIN' && pinSent && options.pin !== undefined)
      options.refusedPins.add(options.pin, options.simId);
    const pinRefused = options.pin !== undefined && options.refusedPins.has(options.pin, options.simId);
    const cause = causeOfLock(state, options.pin !== undefined, pinRefused);
    if (cause) throw await blocked(options, state, cause);
    if (state === 'SIM PIN' && options.pin !== undefined) {
      try {
        await options.channel.run(`AT+CPIN="${options.pin}"`, { prefix: '+CPIN:' });
      } catch (error) {
        if (!isAtError(error, 'cme')) throw error;
        options.refusedPins.add(options.pin, options.simId);
        // The refusal may have used the last try: say what the SIM waits for now (PIN with fewer tries, or PUK).
        continue;
      }
      // Accepted: the next +CPIN? says READY (or busy for a moment while the SIM starts).
      pinSent = true;
    }
    if (options.clock.now() >= deadline) throw new ModemInitError(`SIM not ready (${state || 'no answer'})`, true);
    await sleep(options.clock, 1000, options.signal);
  }
}

/** Vendors signal SMS readiness differently (SMS Ready, +QIND: SMS DONE); polling +CPMS? works on all of them. */
async function waitForSms(options: InitOptions): Promise<void> {
  const deadline = options.clock.now() + options.readyTimeoutMs;
  for (;;) {
    try {
      await options.channel.run('AT+CPMS?', { prefix: '+CPMS:' });
      return;
    } catch (error) {
      if (!isAtError(error) || error.kind === 'disconnected' || error.kind === 'canceled' || error.kind === 'timeout')
        throw error;
      if (options.clock.now() >= deadline) throw new ModemInitError(`SMS service not ready: ${error.message}`, true);
    }
    await sleep(options.clock, 1000, options.signal);
  }
}

async function configureCnmi(channel: AtChannel, logger: Logger): Promise<string | undefined> {
  const test = await optional(channel, 'AT+CNMI=?', '+CNMI:');
  for (const candidate of cnmiCandidates(test)) {
    const command = formatCnmi(candidate);
    if ((await optional(channel, command)) !== undefined) return command;
    logger.debug({ command }, 'modem refused +CNMI setting, trying the next');
  }
  logger.warn('modem accepted no +CNMI setting: relying on periodic sweeps only');
  return undefined;
}
