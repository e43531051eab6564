import { parseTextAnswer } from '../../modem/index.js';
import { AtPort, PortHeldError } from '../at-port.js';

/** What `ports --probe` learned from one port by talking to it. */
interface ProbeReport {
  path: string;
  /** It answered `AT` with OK: a modem's AT port (or something that speaks AT). */
  answers_at: boolean;
  /** `AT+CGMI` / `AT+CGMM` of a port that answers, e.g. "Quectel EC25". */
  identity: string | null;
  /** Why it could not be asked: held by another process, cannot be opened. */
  error: string | null;
}

/**
 * Asks one port whether it speaks AT: a plain `AT` (twice, one second each: a port that is not a modem stays silent),
 * then the manufacturer and model. Only queries; nothing is changed on the device. Opt-in (`--probe`): bytes sent to
 * a serial device that is not a modem — a GPS, a PLC on ttyS0 — are not always harmless.
 */
export async function probePort(path: string, baudRate = 115200): Promise<ProbeReport> {
  let port: AtPort;
  try {
    port = await AtPort.open(path, baudRate);
  } catch (error) {
    const held = error instanceof PortHeldError;
    return {
      path,
      answers_at: false,
      identity: null,
      error: held ? 'held by another process (the daemon?)' : (error as Error).message,
    };
  }
  try {
    if (!(await port.answersAt(2, 1_000))) return { path, answers_at: false, identity: null, error: null };
    const make = parseTextAnswer((await port.ask('AT+CGMI')) ?? [], '+CGMI:');
    const model = parseTextAnswer((await port.ask('AT+CGMM')) ?? [], '+CGMM:');
    const identity = [make, model].filter(Boolean).join(' ') || null;
    return { path, answers_at: true, identity, error: null };
  } finally {
    await port.close();
  }
}

export function formatProbe(report: ProbeReport): string {
  if (report.error) return `${report.path}  not probed: ${report.error}`;
  if (!report.answers_at) return `${report.path}  no answer to AT (not an AT port, or another baud rate)`;
  return `${report.path}  answers AT${report.identity ? `: ${report.identity}` : ''} — usable as serial.path`;
}
