import { isAtError } from '../at/errors.js';
import type { RequestAction } from '../bridge/requests.js';

/**
 * The `bridge/request/at` action: the technician console (`m2m-bridge at`) sends `{command, transaction}` while the
 * daemon holds the port, and gets the modem's answer on `bridge/response/at` — through the driver's own channel,
 * single-flight with everything the daemon does (src/modem/modem.ts `runCommand`), never a second opener of the port.
 *
 * Only read-only queries pass. What is refused, and why:
 * - anything that changes state (`ATZ`, `AT&F`, `AT+CFUN=…`, `AT+CNMI=…`, `AT+CPMS="SM"…`, `AT+CMGF=1`): the driver
 *   configured the modem and would silently stop receiving (FACTS.md: wrong +CNMI → nothing is ever notified);
 * - `AT+CMGL`/`AT+CMGR`: not read-only in practice — reading turns "REC UNREAD" into "REC READ" (3GPP TS 27.005
 *   §3.4.2/§3.4.3), and it shows message bodies outside the journal; use the `sweep` request and `m2m-bridge history`;
 * - `AT+CMGD`/`AT+CMGS`/`AT+CMSS`: would lose or send SMS behind the journal's back (invariants 1 and 2);
 * - `AT+CPIN=…`, `AT+CLCK`: PIN attempts can lock the SIM;
 * - `AT+COPS=?`: read-only but scans for up to 3 minutes, holding the channel (and every send) the whole time.
 * Stop the daemon (`systemctl stop m2m-bridge`) and run `m2m-bridge at` for anything else.
 */
const ALLOWED: readonly RegExp[] = [
  /^AT$/,
  /^ATI\d?$/,
  /^AT\+(?:CGMI|CGMM|CGMR|CGSN|GMI|GMM|GMR|GSN|CIMI)$/,
  /^AT\+(?:CCID|ICCID|QCCID)$/, // ICCID: 3GPP has none; Telit/u-blox +CCID, SIMCom +ICCID, Quectel +QCCID
  /^AT\+(?:CSQ|CESQ)$/,
  /^AT\+(?:CREG|CEREG|CGREG|C5GREG|COPS|CPIN|CPMS|CNMI|CMGF|CSCA|CSMS|CFUN|CMEE|CCLK|CGATT|CGACT|CGDCONT|CSCS)\?$/,
  /^AT\+CGPADDR(?:=\d{1,2})?$/, // PDP context addresses (3GPP TS 27.007 §10.1.14): a read, whatever the syntax says
  /^AT\+(?:QNWINFO|QCSQ|QSPN|QINISTAT)$/, // Quectel read-only queries (Quectel EC2x AT manual §6/§11)
  /^AT\+(?:CPSI|CNSMOD|CSPN)\?$/, // SIMCom (SIM7600 AT manual: system information, network mode, service provider)
];

/** The command as the allow-list sees it: trimmed, upper-case outside quotes is enough since nothing quoted is allowed. */
function normaliseAtCommand(command: string): string {
  return command.trim().toUpperCase();
}

export function isAllowedAtCommand(command: string): boolean {
  const normal = normaliseAtCommand(command);
  return ALLOWED.some((re) => re.test(normal));
}

/** Commands that answer bare text (3GPP TS 27.007 §5: +CGMI, +CGSN …; vendors' ICCID commands vary). */
const BARE_ANSWERS = /^AT(?:I\d?|\+(?:CGMI|CGMM|CGMR|CGSN|GMI|GMM|GMR|GSN|CIMI|CCID|ICCID|QCCID))?$/;

/**
 * The prefix the answer lines carry (`AT+CREG?` → `+CREG:`), or undefined for bare-text answers. Passing it keeps the
 * driver from taking the answer for its own URC of the same name (+CREG, +CEREG, +CGREG, +CPIN are also URCs).
 */
export function answerPrefixOf(command: string): string | undefined {
  const normal = normaliseAtCommand(command);
  if (BARE_ANSWERS.test(normal)) return undefined;
  const m = /^AT(\+[A-Z0-9]+)/.exec(normal);
  return m ? `${m[1]}:` : undefined;
}

export interface AtActionOptions {
  /** The driver's `runCommand` (resolved per request: a `modem/restart` replaces the driver). */
  run(command: string, options: { prefix?: string }): Promise<{ lines: string[] }>;
}

export interface AtActionResult {
  command: string;
  lines: string[];
  /** The final result line as the modem sent it: `OK`, `ERROR`, `+CME ERROR: 10`, `+CMS ERROR: 321`. */
  final: string;
  /** For +CME/+CMS errors: the kind and the code, so the console can explain it. */
  error: { kind: 'cme' | 'cms' | 'error'; code: number | null; text: string | null } | null;
}

class AtCommandRefused extends Error {
  override name = 'AtCommandRefused';
}

/**
 * `{command}` → `{command, lines, final, error}`. A modem error answer (ERROR, +CME, +CMS) is a successful request —
 * the modem answered — with `final` saying what it answered. Refusals, a missing command, a timeout or a modem that is
 * not there are request errors with a message that says what to do.
 */
export function createAtAction(options: AtActionOptions): RequestAction {
  return async (request) => {
    const command = request.command;
    if (typeof command !== 'string' || command.trim() === '') {
      throw new AtCommandRefused('expected {"command": "AT…"} (a string)');
    }
    const normal = normaliseAtCommand(command);
    if (!isAllowedAtCommand(normal)) {
      throw new AtCommandRefused(
        `${JSON.stringify(command.slice(0, 80))} is not allowed while the daemon holds the modem: only read-only queries ` +
          '(AT, ATI, AT+CSQ, AT+CESQ, AT+CREG?, AT+CEREG?, AT+COPS?, AT+CPIN?, AT+CPMS?, identity …). ' +
          'Stop the daemon for a full console.',
      );
    }
    try {
      const prefix = answerPrefixOf(normal);
      const { lines } = await options.run(normal, prefix === undefined ? {} : { prefix });
      return { command: normal, lines, final: 'OK', error: null } satisfies AtActionResult;
    } catch (error) {
      if (isAtError(error, 'cme') || isAtError(error, 'cms') || isAtError(error, 'error')) {
        const kind = error.kind as 'cme' | 'cms' | 'error';
        const code = error.code ?? null;
        const text = error.modemText ?? null;
        const final = kind === 'error' ? (text ?? 'ERROR') : `+${kind.toUpperCase()} ERROR: ${code ?? text ?? ''}`;
        return { command: normal, lines: [], final, error: { kind, code, text } } satisfies AtActionResult;
      }
      throw error;
    }
  };
}
