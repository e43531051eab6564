import { defaultTimeoutFor } from '../at/command-timeouts.js';
import { recogniseFinal } from '../at/final-result.js';
import { AtFramer } from '../at/framer.js';
import { transportForPath } from '../at/serial-transport.js';
import type { Transport } from '../at/transport.js';
import { LineAnnotator } from './annotate.js';
import { formatLine, timestamp } from './format.js';
import type { ConsoleSession, Print, SubmitOutcome } from './session.js';

/** The port is held by another process (serialport opens with an exclusive flock by default: "Cannot lock port"). */
export class PortBusyError extends Error {
  override name = 'PortBusyError';
}

const BUSY = /cannot lock port|resource temporarily unavailable|EBUSY|EAGAIN|resource busy/i;

interface DirectSessionOptions {
  path: string;
  baudRate?: number;
  print: Print;
  now?: () => number;
  /** For tests: a transport instead of opening `path`. */
  transport?: Transport;
}

/**
 * The console on the port itself. Deliberately below src/at's AtChannel: the technician sees every line the modem
 * sends (AtChannel hides unknown lines and echo), with the same pieces — transport, AtFramer, final-result recogniser,
 * per-command deadlines. One command at a time; after a `> ` prompt (AT+CMGS/AT+CMGW) the next line is sent as the
 * body followed by Ctrl-Z, and `.esc` cancels with ESC (3GPP TS 27.005 §3.5.1).
 */
export class DirectSession implements ConsoleSession {
  readonly mode = 'direct' as const;
  private readonly framer = new AtFramer({ maxLineLength: 8192 });
  private readonly annotator = new LineAnnotator();
  private readonly now: () => number;
  private inFlight: {
    command: string;
    echo: string | null;
    done: (outcome: SubmitOutcome) => void;
    timer: NodeJS.Timeout;
  } | null = null;
  private prompted = false;
  private closing = false;

  private constructor(
    private readonly transport: Transport,
    private readonly options: DirectSessionOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Opens the port; rejects with PortBusyError when another process (the daemon) holds it. */
  static async open(options: DirectSessionOptions): Promise<DirectSession> {
    const transport = options.transport ?? transportForPath(options.path, { baudRate: options.baudRate ?? 115200 });
    try {
      await transport.open();
    } catch (error) {
      const message = (error as Error).message;
      if (BUSY.test(message)) throw new PortBusyError(`${options.path} is in use by another process (${message})`);
      throw error;
    }
    const session = new DirectSession(transport, options);
    transport.onData((chunk) => session.onData(chunk));
    transport.onClose((error) => {
      // Unplugged or reset under the technician's hands: say so, with the time. Leaving on purpose is not news.
      if (!session.closing)
        session.options.print([`${timestamp(session.now())} port closed${error ? `: ${error.message}` : ''}`]);
      session.finish('error');
    });
    return session;
  }

  get waitingForBody(): boolean {
    return this.prompted;
  }

  banner(): string {
    return `Connected to ${this.options.path} directly. Type AT commands; .help for help, .quit or Ctrl-D to leave.`;
  }

  submit(line: string): Promise<SubmitOutcome> {
    if (!this.transport.isOpen) {
      this.options.print(['the port is closed; leave with .quit and start again']);
      return Promise.resolve('error');
    }
    if (this.prompted) {
      this.prompted = false;
      const body = line.trim();
      const flight = this.inFlight;
      if (!flight) return this.write(body.toLowerCase() === '.esc' ? '\x1b' : `${body}\x1a`).then(() => 'ok' as const);
      // The final result (+CMGS: <mr> / OK, or an error) completes this input, like a command's.
      return new Promise<SubmitOutcome>((resolve) => {
        flight.done = resolve;
        flight.echo = body;
        void this.write(body.toLowerCase() === '.esc' ? '\x1b' : `${body}\x1a`);
      });
    }
    const command = line.trim();
    return new Promise<SubmitOutcome>((resolve) => {
      const ms = defaultTimeoutFor(command);
      const timer = setTimeout(() => {
        this.options.print([`(no final result within ${ms / 1000} s)`]);
        this.finish('timeout');
      }, ms);
      this.inFlight = { command, echo: command, done: resolve, timer };
      this.transport.write(`${command}\r`).catch((error: Error) => {
        this.options.print([`write failed: ${error.message}`]);
        this.finish('error');
      });
    });
  }

  cancel(): void {
    if (!this.inFlight && !this.prompted) return;
    // In text input mode (after "> ") the modem takes everything as the body until Ctrl-Z: ESC leaves it unsent.
    if (this.prompted) void this.write('\x1b');
    this.options.print(['(canceled: no longer waiting; a late answer is shown as it arrives)']);
    this.finish('canceled');
  }

  async close(): Promise<void> {
    this.closing = true;
    this.finish('canceled');
    await this.transport.close();
  }

  private write(data: string): Promise<void> {
    return this.transport.write(data).catch((error: Error) => this.options.print([`write failed: ${error.message}`]));
  }

  private finish(outcome: SubmitOutcome): void {
    const flight = this.inFlight;
    this.inFlight = null;
    this.prompted = false;
    if (flight) {
      clearTimeout(flight.timer);
      flight.done(outcome);
    }
  }

  private onData(chunk: Buffer): void {
    for (const token of this.framer.push(chunk)) {
      if (token.type === 'prompt') {
        // The modem waits for the message body: hand the next input line to it (the REPL shows "> ").
        this.prompted = true;
        this.options.print(['> (enter the PDU; it is sent with Ctrl-Z. .esc cancels)']);
        // The command's input is complete (the REPL asks for the body); the final result will complete the body's.
        const flight = this.inFlight;
        if (flight) {
          const done = flight.done;
          flight.done = () => {};
          done('ok');
        }
        continue;
      }
      if (token.type === 'overflow') {
        this.options.print([`(an over-long line was cut: ${token.dropped} bytes dropped)`]);
        continue;
      }
      const line = token.text.endsWith('\x1a') ? token.text.slice(0, -1) : token.text;
      const flight = this.inFlight;
      if (flight !== null && flight.echo !== null && line.toUpperCase() === flight.echo.toUpperCase()) {
        flight.echo = null; // ATE1 (the default) echoes the command; show it once, as typed.
        continue;
      }
      const annotated = this.annotator.annotate(line, flight?.command ?? null);
      this.options.print(formatLine(annotated, this.now()));
      if (annotated.kind === 'final') this.finish(recogniseFinal(line)?.kind === 'ok' ? 'ok' : 'error');
    }
  }
}
