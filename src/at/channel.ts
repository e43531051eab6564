import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { Mutex } from '../util/mutex.js';
import { type Waiter, Waitress, WaitressTimeoutError } from '../util/waitress.js';
import { defaultTimeoutFor, maskCommand } from './command-timeouts.js';
import { AtError } from './errors.js';
import type { FinalResult } from './final-result.js';
import { AtFramer } from './framer.js';
import { ALIGNMENT_COMMAND, type Classified, classify, type InFlight, type LineState, PROMPT } from './line-rules.js';
import type { Transport } from './transport.js';
import type { UrcDefinition, UrcRegistry } from './urc-registry.js';

export interface CommandOptions {
  /** Deadline for the final result, armed after the write completed. Defaults per command (command-timeouts.ts). */
  timeoutMs?: number;
  /**
   * The response prefix (e.g. `+CMGL:`). When given, only lines with it (and, with `bodyLines`, the line after each)
   * are collected, and a line with it is never taken for a URC (`+CREG: 0,1` answering AT+CREG? vs the +CREG URC).
   * Without it every line that is not a URC or echo is collected (AT+CGMI, AT+CGSN answer bare text).
   */
  prefix?: string;
  /** Each prefixed line is followed by a body line (the PDU after +CMGR/+CMGL headers). */
  bodyLines?: boolean;
  /**
   * Proves that the answer belongs to this command: it is sent as `AT+CMGR=3;+CMEE?` and its OK is taken only after
   * the `+CMEE:` line. A stray OK — a doubled line, the late answer to an earlier command — has no such line: it is
   * dropped with the lines collected before it, which belonged to that earlier command. Without this, a +CMGR answer
   * shifted by one (it names no index) would be taken for the next slot's, and that slot deleted unread. Errors end a
   * command line early (no marker), so an error final is taken as it comes.
   */
  aligned?: boolean;
}

export interface PromptCommandOptions extends CommandOptions {
  /** Deadline for the `> ` prompt (default 10 s). On expiry ESC is written to leave input mode. */
  promptTimeoutMs?: number;
}

export interface AtResponse {
  command: string;
  /** Intermediate lines, in arrival order, without echo and URCs. */
  lines: string[];
}

type ChannelEvent = { type: 'final'; result: FinalResult } | { type: 'prompt' };
interface Matcher {
  expect: 'final' | 'prompt';
  command: string;
}

export interface AtChannelOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  urcs: UrcRegistry;
  maxLineLength?: number;
  /** Caps every default deadline (tests and impatient deployments); explicit `timeoutMs` values are kept. */
  maxTimeoutMs?: number;
}

const ESC = '\x1b';
const CTRL_Z = '\x1a';

/**
 * One AT conversation over one open transport: exactly one command in flight, each with its own deadline
 * (waitress: register → write → arm timer), URCs routed before response matching, echo stripped whether or not
 * ATE0 took effect. Transport loss rejects the command in flight with kind `disconnected`.
 */
export class AtChannel {
  private readonly framer: AtFramer;
  private readonly waitress: Waitress<ChannelEvent, Matcher>;
  private readonly mutex = new Mutex();
  private readonly log: Logger;
  private inflight: InFlight | undefined;
  private pendingUrc: { def: UrcDefinition; header: string } | undefined;
  private closedError: AtError | undefined;
  private readonly closeListeners: ((error: AtError) => void)[] = [];
  /** Timeouts since the last final result; ModemManager's health signal for "the port is stuck". */
  consecutiveTimeouts = 0;

  constructor(private readonly options: AtChannelOptions) {
    this.log = options.logger;
    this.framer = new AtFramer({ maxLineLength: options.maxLineLength ?? 4096 });
    this.waitress = new Waitress<ChannelEvent, Matcher>({
      clock: options.clock,
      validate: (event, m) => event.type === 'final' || m.expect === 'prompt',
      describeTimeout: (m, ms) =>
        `${maskCommand(m.command)}: no ${m.expect === 'prompt' ? '"> " prompt' : 'final result'} within ${ms} ms`,
    });
    options.transport.onData((chunk) => this.onData(chunk));
    options.transport.onClose((error) => {
      const reason = new AtError(
        'disconnected',
        `${options.transport.description}: connection lost${error ? `: ${error.message}` : ''}`,
      );
      this.shutdown(reason);
    });
  }

  get isClosed(): boolean {
    return this.closedError !== undefined;
  }

  /** Called once when the channel can no longer be used (transport lost or close()). */
  onClose(listener: (error: AtError) => void): void {
    this.closeListeners.push(listener);
  }

  /** Sends `command` (without CR) and resolves with its intermediate lines on OK; rejects with AtError otherwise. */
  run(command: string, options: CommandOptions = {}): Promise<AtResponse> {
    return this.mutex.run(async () => {
      const flight = this.begin(command, options);
      try {
        const waiter = this.waitress.waitFor(
          { expect: 'final', command },
          options.timeoutMs ?? this.deadlineFor(command),
        );
        await this.write(`${flight.echo}\r`, waiter);
        return this.finish(flight, await this.await(waiter));
      } finally {
        this.inflight = undefined;
      }
    });
  }

  /**
   * A command that asks for data after the `> ` prompt (AT+CMGS, 3GPP TS 27.005 §3.5.1): command → prompt → body +
   * Ctrl-Z → final result. If the prompt does not come, ESC cancels the input mode before the error is thrown.
   */
  runWithPrompt(command: string, body: string, options: PromptCommandOptions = {}): Promise<AtResponse> {
    return this.mutex.run(async () => {
      const flight = this.begin(command, options);
      try {
        const promptWaiter = this.waitress.waitFor({ expect: 'prompt', command }, options.promptTimeoutMs ?? 10_000);
        await this.write(`${command}\r`, promptWaiter);
        let event: ChannelEvent;
        try {
          event = await this.await(promptWaiter);
        } catch (error) {
          // A timed-out prompt leaves the modem waiting for input; an interrupted one belongs to firmware that is gone.
          if (error instanceof AtError && error.kind === 'timeout' && !this.isClosed) {
            await this.options.transport.write(ESC).catch(() => {});
          }
          throw error;
        }
        if (event.type === 'final') {
          if (event.result.kind === 'ok') {
            // +CMGS cannot succeed before its PDU was written: this OK is a late answer to an earlier, timed-out
            // command. Leave input mode in case the real prompt follows, and fail this send as never sent.
            await this.options.transport.write(ESC).catch(() => {});
            throw new AtError(
              'error',
              `${maskCommand(command)}: OK before the "> " prompt (late answer to an earlier command)`,
              {
                command: maskCommand(command),
              },
            );
          }
          return this.finish(flight, event);
        }
        flight.echo = body;
        flight.inputWritten = true;
        const waiter = this.waitress.waitFor(
          { expect: 'final', command },
          options.timeoutMs ?? this.deadlineFor(command),
        );
        await this.write(`${body}${CTRL_Z}`, waiter);
        return this.finish(flight, await this.await(waiter));
      } finally {
        this.inflight = undefined;
      }
    });
  }

  /**
   * Waits, without sending anything, for a final result that belongs to no command (the late answer to a command that
   * timed out). Resolves true when one came, false after `timeoutMs`. Used by re-sync to realign the conversation.
   */
  absorbLateFinal(timeoutMs: number): Promise<boolean> {
    return this.mutex.run(async () => {
      if (this.closedError) throw this.closedError;
      const waiter = this.waitress.waitFor({ expect: 'final', command: '(late answer)' }, timeoutMs);
      waiter.start();
      try {
        await waiter.promise;
        return true;
      } catch (error) {
        if (error instanceof WaitressTimeoutError) return false;
        throw error;
      }
    });
  }

  /**
   * Fails the command in flight now with kind `interrupted` instead of letting it wait out its deadline: the modem
   * rebooted (RDY, a boot URC), so the firmware that was running it will never answer. The channel stays usable.
   * `afterInput` on the error says whether the data after the `> ` prompt (an SMS) had already been written.
   */
  abortInFlight(reason: string): boolean {
    const flight = this.inflight;
    if (!flight || this.closedError) return false;
    const command = maskCommand(flight.command);
    this.log.warn({ command, reason }, 'command in flight abandoned');
    this.waitress.rejectAll(
      new AtError('interrupted', `${command}: ${reason}`, { command, afterInput: flight.inputWritten }),
    );
    return true;
  }

  /** Rejects the command in flight with kind `canceled`; the transport itself is closed by its owner. */
  close(): void {
    this.shutdown(new AtError('canceled', 'AT channel closed'));
  }

  private deadlineFor(command: string): number {
    const ms = defaultTimeoutFor(command);
    return this.options.maxTimeoutMs === undefined ? ms : Math.min(ms, this.options.maxTimeoutMs);
  }

  private begin(command: string, options: CommandOptions): InFlight {
    if (this.closedError) throw this.closedError;
    this.log.debug({ tx: maskCommand(command) }, 'at command');
    const aligned = options.aligned ?? false;
    const flight: InFlight = {
      command,
      echo: aligned ? `${command};${ALIGNMENT_COMMAND}` : command,
      prefix: options.prefix,
      bodyLines: options.bodyLines ?? false,
      expectBody: false,
      lines: [],
      inputWritten: false,
      promptSeen: false,
      aligned,
      markerSeen: false,
    };
    this.inflight = flight;
    return flight;
  }

  private async write(data: string, waiter: Waiter<ChannelEvent>): Promise<void> {
    try {
      await this.options.transport.write(data);
    } catch (error) {
      const reason = new AtError('disconnected', `write failed: ${(error as Error).message}`, {
        command: maskCommand(this.inflight?.command ?? ''),
        afterInput: this.inflight?.inputWritten ?? false,
      });
      waiter.cancel(reason);
      throw reason;
    }
    waiter.start();
  }

  private async await(waiter: Waiter<ChannelEvent>): Promise<ChannelEvent> {
    try {
      return await waiter.promise;
    } catch (error) {
      if (error instanceof WaitressTimeoutError) {
        this.consecutiveTimeouts++;
        throw new AtError('timeout', error.message, { command: maskCommand(this.inflight?.command ?? '') });
      }
      throw error;
    }
  }

  private finish(flight: InFlight, event: ChannelEvent): AtResponse {
    if (event.type !== 'final')
      throw new AtError('error', 'unexpected prompt', { command: maskCommand(flight.command) });
    this.consecutiveTimeouts = 0;
    const r = event.result;
    const command = maskCommand(flight.command);
    if (r.kind === 'ok') return { command: flight.command, lines: flight.lines };
    if (r.kind === 'error') throw new AtError('error', `${command}: ${r.text}`, { modemText: r.text, command });
    const label = `+${r.kind.toUpperCase()} ERROR${r.code !== undefined ? ` ${r.code}` : ''}`;
    throw new AtError(r.kind, `${command}: ${label} (${r.text})`, { code: r.code, modemText: r.text, command });
  }

  private shutdown(reason: AtError): void {
    if (this.closedError) return;
    this.closedError = reason;
    // The command in flight learns whether the data after its `> ` prompt (an SMS) had been written: then its effect
    // is unknown, as with abortInFlight.
    const flight = this.inflight;
    this.waitress.rejectAll(
      flight?.inputWritten
        ? new AtError(reason.kind, reason.message, { command: maskCommand(flight.command), afterInput: true })
        : reason,
    );
    for (const l of this.closeListeners) l(reason);
  }

  private onData(chunk: Buffer): void {
    for (const token of this.framer.push(chunk)) {
      if (token.type === 'line') {
        this.log.trace({ rx: token.text }, 'at line');
        this.apply(token.text, classify(token.text, this.lineState()));
      } else if (token.type === 'prompt') this.apply('> ', classify(PROMPT, this.lineState()));
      else this.log.warn({ dropped: token.dropped }, 'discarded an over-long line from the modem');
    }
  }

  private lineState(): LineState {
    return {
      flight: this.inflight,
      awaitingPrompt: this.waitress.some((m) => m.expect === 'prompt'),
      pendingUrc: this.pendingUrc,
      findUrc: (line) => this.options.urcs.find(line),
    };
  }

  /** Carries out what the line rules (line-rules.ts) decided for `line`. */
  private apply(line: string, action: Classified): void {
    const flight = this.inflight;
    if (action.droppedUrcHeader !== undefined)
      this.log.warn({ header: action.droppedUrcHeader, line }, 'two-line URC without its PDU line; header dropped');
    this.pendingUrc = undefined;
    switch (action.type) {
      case 'prompt':
        this.waitress.resolve({ type: 'prompt' });
        if (flight) flight.promptSeen = true;
        return;
      case 'doubled-prompt':
        // ESC now would reach the modem before the PDU, cancel the input mode, and the PDU would land in command mode
        // while ESC's OK passed for the send's answer.
        this.log.debug('second "> " prompt before the PDU was written: ignored');
        return;
      case 'stray-prompt':
        // The modem waits for a PDU nobody will write: otherwise the next command would be swallowed as message text.
        this.log.warn('"> " prompt with no command waiting for it: sending ESC');
        this.options.transport.write(ESC).catch(() => {});
        return;
      case 'final':
        if (!this.waitress.resolve({ type: 'final', result: action.result }))
          this.log.debug({ line }, 'final result with no command in flight');
        return;
      case 'unaligned-ok':
        if (!flight) return;
        this.log.debug(
          { command: maskCommand(flight.command), dropped: flight.lines.length },
          'OK without the alignment line: the answer to an earlier command; dropped',
        );
        flight.lines = [];
        flight.expectBody = false;
        return;
      case 'echo':
        if (flight) flight.echo = action.rest;
        return;
      case 'alignment':
        if (!flight) return;
        flight.markerSeen = true;
        flight.expectBody = false;
        return;
      case 'urc':
        this.dispatch(action.def, action.lines);
        return;
      case 'urc-header':
        this.pendingUrc = { def: action.def, header: action.header };
        return;
      case 'response':
        if (!flight) return;
        flight.lines.push(line);
        flight.echo = undefined;
        flight.expectBody = action.expectBody;
        return;
      case 'overflow':
        this.log.warn({ command: maskCommand(flight?.command ?? '') }, 'response too long; extra lines dropped');
        return;
      case 'ignored':
        if (action.during === 'idle') this.log.debug({ line }, 'unknown unsolicited line ignored');
        else
          this.log.debug(
            { line, command: maskCommand(flight?.command ?? '') },
            'unsolicited line during command ignored',
          );
        return;
    }
  }

  private dispatch(def: UrcDefinition, lines: string[]): void {
    try {
      def.handler(lines);
    } catch (error) {
      this.log.error({ err: error, urc: def.name }, 'URC handler threw');
    }
  }
}
