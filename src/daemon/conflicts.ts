import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { newSerialPort } from '../at/serial-port.js';
import type { ProbeResult, TopicHolder } from '../bridge/index.js';
import type { JournalHolder, SqliteJournal } from '../store/index.js';
import { portUse } from '../util/proc-holders.js';
import { bridgeProcess, describeBridge, processStart } from './process-info.js';

/**
 * Several daemons on one gateway (one per modem) must never share a modem, a journal or a base topic. Each check
 * runs at start, before anything is read from the modem or published, and a clash ends the start with one line
 * naming the other holder and the key to change (exit code 73, which the units do not restart on).
 */
export class InstanceConflictError extends Error {
  override name = 'InstanceConflictError';
  constructor(
    readonly resource: 'serial_device' | 'journal' | 'base_topic',
    message: string,
  ) {
    super(message);
  }
}

/** This process, as the journal's holder row records it. */
export function thisHolder(instance: string | null, baseTopic: string, now: number, proc = '/proc'): JournalHolder {
  return {
    instance,
    base_topic: baseTopic,
    pid: process.pid,
    process_start: processStart(process.pid, proc) ?? '?',
    hostname: hostname(),
    claimed_at: now,
  };
}

/** A recorded holder is alive when its pid runs with the same kernel start time (so a reused pid does not count). */
export function holderAlive(holder: JournalHolder, proc = '/proc'): boolean {
  // A journal on storage another host writes too: this host cannot see that process, so it counts as alive.
  if (holder.hostname !== hostname()) return true;
  return processStart(holder.pid, proc) === holder.process_start;
}

/** Claims the journal (store/holder.ts: BEGIN IMMEDIATE, then the row) or throws naming the live holder. */
export function claimJournalOrRefuse(journal: SqliteJournal, me: JournalHolder): void {
  const other = journal.claimHolder(me, (holder) => holderAlive(holder));
  if (!other) return;
  const who = other.instance ? `m2m-bridge instance ${other.instance}` : 'm2m-bridge';
  const where = other.hostname === me.hostname ? '' : ` on ${other.hostname}`;
  throw new InstanceConflictError(
    'journal',
    `journal ${journal.path} is in use by ${who} (pid ${other.pid}${where}, base topic ${other.base_topic}); give this instance its own store.path`,
  );
}

const LOCK_ERROR = /lock|EAGAIN|EWOULDBLOCK|resource temporarily unavailable/i;

/** Opens and closes the port with serialport's exclusive lock (flock); the error message when another holds it. */
async function lockProbe(device: string, baudRate: number): Promise<string | null> {
  const port = newSerialPort({ path: device, baudRate, hupcl: false, lock: true });
  const error = await new Promise<Error | null>((resolve) => port.open((e) => resolve(e ?? null)));
  if (error) return LOCK_ERROR.test(error.message) ? error.message : null;
  await new Promise<void>((resolve) => port.close(() => resolve()));
  return null;
}

interface SerialCheck {
  /** The lock is taken by a process this user cannot see (e.g. another user's); the driver keeps retrying. */
  lockedByUnknown: string | null;
}

/**
 * Refuses a serial device that another `m2m-bridge run` holds. Two paths can name one device (a by-id link, the
 * udev name, /dev/ttyUSB2), so both sides are compared by the resolved real path, as /proc shows open files. Then
 * the port's exclusive lock, which the driver also takes on every open: it is what keeps two processes off one
 * modem even where /proc hides the other holder. A missing device or a tcp:// address is left to the driver.
 */
export async function refuseSharedSerialDevice(path: string, baudRate: number, proc = '/proc'): Promise<SerialCheck> {
  if (path.startsWith('tcp://')) return { lockedByUnknown: null };
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { lockedByUnknown: null };
  }
  const refuseIfBridge = async () => {
    for (const holder of (await portUse(real, process.pid, proc)).holders) {
      const other = bridgeProcess(holder.pid, proc);
      if (!other) continue;
      const via = real === path ? '' : ` (${real})`;
      throw new InstanceConflictError(
        'serial_device',
        `serial device ${path}${via} is in use by ${describeBridge(other)}; give this instance its own serial.path`,
      );
    }
  };
  await refuseIfBridge();
  const locked = await lockProbe(real, baudRate).catch(() => null);
  if (locked === null) return { lockedByUnknown: null };
  await refuseIfBridge(); // the holder may have opened it between the scan and the probe
  return { lockedByUnknown: `${path}: ${locked}` };
}

function describeTopicHolder(holder: TopicHolder): string {
  const name = holder.instance ? `m2m-bridge instance ${holder.instance}` : 'm2m-bridge';
  const details = [
    `client id ${holder.client_id}`,
    ...(holder.pid !== null ? [`pid ${holder.pid}`] : []),
    ...(holder.hostname ? [`on ${holder.hostname}`] : []),
  ];
  return `${name} (${details.join(', ')})`;
}

/** Turns the broker probe's answer into a refusal when another daemon is online under the same base topic. */
export function refuseSharedBaseTopic(result: ProbeResult, baseTopic: string, url: string): void {
  if (!result.checked || !result.holder) return;
  throw new InstanceConflictError(
    'base_topic',
    `base topic ${baseTopic} on ${url} is in use by ${describeTopicHolder(result.holder)}, online; give this instance its own mqtt.base_topic (or instance.name)`,
  );
}
