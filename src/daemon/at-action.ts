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
 * Besides the fixed list below, the read-only queries the modem's own quirks define pass, exactly as the driver sends
 * them (src/modem/console-command.ts: the ICCID forms, the serving-cell queries such as `AT+QENG="servingcell"`,
 * `AT+CPSI?`, `AT#RFSTS`, the PIN/PUK counters), compared case-insensitively outside quotes.
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

/**
 * The command as the allow-list sees it and as it is sent: trimmed, upper-case outside double quotes. A quoted
 * argument keeps its case (`at+qeng="servingcell"` → `AT+QENG="servingcell"`): modems compare strings as typed.
 */
export function normaliseAtCommand(command: string): string {
  return command
    .trim()
    .split('"')
    .map((piece, i) => (i % 2 === 0 ? piece.toUpperCase() : piece))
    .join('"');
}

/** A query the modem's quirks define (src/modem ConsoleQuery): the command as the driver sends it, and its prefix. */
export interface VendorQuery {
  command: string;
  prefix?: string;
}

/** The vendor query `command` is (same command outside quotes, ignoring case; quoted text exactly), or undefined. */
function vendorQueryOf(command: string, vendor: readonly VendorQuery[]): VendorQuery | undefined {
  const normal = normaliseAtCommand(command);
  return vendor.find((query) => normaliseAtCommand(query.command) === normal);
}

export function isAllowedAtCommand(command: string, vendor: readonly VendorQuery[] = []): boolean {
  const normal = normaliseAtCommand(command);
  return ALLOWED.some((re) => re.test(normal)) || vendorQueryOf(normal, vendor) !== undefined;
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
  /** The read-only queries of the active quirks (the driver's `consoleQueries`); none while there is no driver. */
  vendorQueries?(): readonly VendorQuery[];
}

export interface AtActionResult {
  command: string;
  lines: string[];
  /** The final result line as the modem sent it: `OK`, `ERROR`, `+CME ERROR: 10`, `+CMS ERROR: 321`. */
  final: string;
  /** For +CME/+CMS errors: the kind and the code, so the console can explain it. */
  error: { kind: 'cme' | 'cms' | 'error'; code: number | null; text: string | null } | null;
}

/** The vendor queries, or none when the driver is not there to say (it is being replaced). */
function vendorQueries(options: AtActionOptions): readonly VendorQuery[] {
  try {
    return options.vendorQueries?.() ?? [];
  } catch {
    return [];
  }
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
    const vendor = vendorQueries(options);
    if (!isAllowedAtCommand(normal, vendor)) {
      throw new AtCommandRefused(
        `${JSON.stringify(command.slice(0, 80))} is not allowed while the daemon holds the modem: only read-only queries ` +
          '(AT, ATI, AT+CSQ, AT+CESQ, AT+CREG?, AT+CEREG?, AT+COPS?, AT+CPIN?, AT+CPMS?, identity …' +
          (vendor.length ? `, and this modem's ${vendor.map((q) => q.command).join(', ')}` : '') +
          '). ' +
          'Stop the daemon for a full console.',
      );
    }
    try {
      const query = vendorQueryOf(normal, vendor);
      // A vendor query is answered as the driver reads it: with its own prefix, or none (u-blox +UCGED, +CRSM).
      const prefix = query ? query.prefix : answerPrefixOf(normal);
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
