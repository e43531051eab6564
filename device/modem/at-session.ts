import { AtSyntaxError, parseCommandLine } from './at-parser.js';
import type { CommandHost, CommandOutcome, CommandTable, PromptRequest } from './commands/types.js';
import type { PowerState } from './modem-core.js';
import type { LogSink } from './modem-host.js';
import { ResponseWriter, type ResponseWriterHost } from './response-writer.js';
import { CommandFailed, cme, failureText } from './result-codes.js';
import { responseUnits, SMS_PROMPT, urcUnits } from './wire-format.js';

/** Longest command line accepted; longer lines are discarded and answered ERROR (real firmware caps near 512). */
const MAX_LINE_LENGTH = 1024;
/** Longest text accepted after the `> ` prompt (a 176-octet PDU is 352 hex digits; text mode up to 5 parts). */
const MAX_PROMPT_LENGTH = 2048;
/** Input kept while a command runs; a TE that floods a busy modem loses the excess, as a UART FIFO overruns. */
const MAX_QUEUED_INPUT = 64 * 1024;

const CTRL_Z = 0x1a;
const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;

/** What a session uses of the core: what its commands use, the power state, the log and the output faults. */
type AtSessionHost = CommandHost & ResponseWriterHost & LogSink & { readonly power: PowerState };

/**
 * One connection to the modem (a pty client, a TCP socket, an in-process stream): reads bytes into command lines
 * or prompt text, runs commands one at a time, and writes responses and URCs. URCs that arrive while a command runs
 * wait until its final result, as TS 27.007 §8.10 (+CMER buffering) describes.
 */
export class AtSession {
  private line = '';
  private overflow = false;
  private prompt: PromptRequest | undefined;
  private promptText = '';
  private busy = false;
  private readonly queuedInput: Buffer[] = [];
  private queuedBytes = 0;
  private readonly queuedUrcs: string[][] = [];
  private readonly writer: ResponseWriter;
  private closed = false;
  /** Bumped by every reboot: an answer computed for a command typed before it is never written (the firmware that
   * was running it is gone), as on a real modem. */
  private generation = 0;

  constructor(
    private readonly core: AtSessionHost,
    private readonly commands: CommandTable,
    write: (data: Buffer) => void,
  ) {
    this.writer = new ResponseWriter(core, (data) => {
      if (!this.closed) write(data);
    });
  }

  close(): void {
    this.closed = true;
  }

  /** The firmware restarted: half-typed lines, a pending prompt and queued URCs are gone. */
  reset(): void {
    this.generation++;
    this.line = '';
    this.overflow = false;
    this.prompt = undefined;
    this.promptText = '';
    this.busy = false;
    this.queuedInput.length = 0;
    this.queuedBytes = 0;
    this.queuedUrcs.length = 0;
  }

  /** Bytes from the TE. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    if (this.core.faults.hang || this.core.power !== 'on') {
      this.core.record('in', `(ignored) ${chunk.toString('latin1')}`);
      return;
    }
    if (this.busy) {
      if (this.queuedBytes + chunk.length > MAX_QUEUED_INPUT) {
        this.core.record('event', `input overrun: ${chunk.length} bytes dropped while busy`);
        return;
      }
      this.queuedBytes += chunk.length;
      this.queuedInput.push(chunk);
      return;
    }
    this.consume(chunk);
  }

  /** An unsolicited result code for this connection. */
  urc(lines: string[]): void {
    if (this.closed || this.core.faults.hang) return;
    if (this.busy || this.prompt) this.queuedUrcs.push(lines);
    else this.writer.write(urcUnits(lines, this.core.settings));
  }

  private consume(chunk: Buffer): void {
    let echo = '';
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.prompt) {
        if (byte === CTRL_Z || byte === ESC) {
          this.flushEcho(echo);
          const rest = chunk.subarray(i + 1);
          if (rest.length > 0) this.requeue(rest);
          this.finishPrompt(byte === CTRL_Z);
          return;
        } else if (byte === CR && this.prompt.mode === 'text') {
          // Text mode: CR starts a new line of the message and a new prompt (TS 27.005 §3.5.1).
          this.promptText += '\n';
          echo += '\r';
          this.flushEcho(echo);
          echo = '';
          this.writer.write([SMS_PROMPT]);
        } else if (byte !== CR && byte !== LF) {
          if (this.promptText.length < MAX_PROMPT_LENGTH) this.promptText += String.fromCharCode(byte);
          else this.overflow = true;
          echo += String.fromCharCode(byte);
        }
      } else if (byte === CR) {
        this.flushEcho(echo);
        echo = '';
        if (this.echoing() && this.core.takeFault('urcInEcho')) {
          this.writer.write(urcUnits([this.core.noiseUrc()], this.core.settings));
        }
        this.flushEcho('\r');
        const line = this.line;
        const overflow = this.overflow;
        this.line = '';
        this.overflow = false;
        this.busy = true;
        const rest = chunk.subarray(i + 1);
        if (rest.length > 0) this.requeue(rest);
        void this.runLine(line, overflow);
        return;
      } else if (byte === LF) {
        // A line feed after CR is part of the terminator some terminals send.
      } else if (byte === (this.core.settings.sRegisters.get(5) ?? 8)) {
        this.line = this.line.slice(0, -1);
        echo += String.fromCharCode(byte);
      } else {
        if (this.line.length < MAX_LINE_LENGTH) this.line += String.fromCharCode(byte);
        else this.overflow = true;
        echo += String.fromCharCode(byte);
      }
    }
    this.flushEcho(echo);
  }

  /** The unread rest of a chunk goes back to the front of the queue. */
  private requeue(rest: Buffer): void {
    this.queuedBytes += rest.length;
    this.queuedInput.unshift(rest);
  }

  /** ATE1, or the echoAfterAte0 fault: firmware that answers ATE0 with OK and echoes on regardless. */
  private echoing(): boolean {
    return this.core.settings.echo || this.core.faults.echoAfterAte0;
  }

  private flushEcho(text: string): void {
    if (text && this.echoing()) this.writer.echo(Buffer.from(text, 'latin1'));
  }

  private async runLine(rawLine: string, overflow: boolean): Promise<void> {
    const generation = this.generation;
    this.core.record('in', rawLine);
    // Modems look for the `AT` prefix and ignore what comes before it (noise, a stray ESC).
    const line = rawLine.replace(/^[^A-Za-z]+/, '').trimEnd();
    let outcome: { info: string[]; final: string | null };
    if (overflow) outcome = { info: [], final: 'ERROR' };
    else if (line === '') return this.idle();
    else if (!/^AT/i.test(line)) outcome = { info: [], final: 'ERROR' };
    else outcome = await this.execute(line.slice(2));
    if (this.prompt) return;
    await this.respond(outcome.info, outcome.final, generation);
  }

  private async execute(text: string): Promise<{ info: string[]; final: string | null }> {
    const info: string[] = [];
    let commands: ReturnType<typeof parseCommandLine>;
    try {
      commands = parseCommandLine(text);
    } catch (error) {
      if (error instanceof AtSyntaxError) return { info, final: 'ERROR' };
      throw error;
    }
    for (const command of commands) {
      const handler = this.commands[command.name];
      let result: CommandOutcome | undefined;
      try {
        if (!handler) throw new CommandFailed(cme(100));
        result = await handler(command, this.core);
      } catch (error) {
        if (error instanceof CommandFailed) return { info, final: failureText(error.failure, this.core.settings.cmee) };
        this.core.record('event', `command ${command.name} crashed: ${String(error)}`);
        return { info, final: 'ERROR' };
      }
      info.push(...(result?.lines ?? []));
      if (result?.prompt) {
        if (info.length > 0) this.writer.write(responseUnits(info, null, this.core.settings));
        this.prompt = result.prompt;
        this.promptText = '';
        this.overflow = false;
        if (this.core.takeFault('urcBeforePrompt')) {
          this.writer.write(urcUnits([this.core.noiseUrc()], this.core.settings));
        }
        this.writer.write([SMS_PROMPT]);
        this.busy = false;
        // Text typed ahead of the prompt (a client that does not wait for `> `) belongs to the message.
        queueMicrotask(() => this.drain());
        return { info: [], final: null };
      }
    }
    return { info, final: 'OK' };
  }

  private finishPrompt(send: boolean): void {
    const prompt = this.prompt!;
    const text = this.promptText;
    const overflow = this.overflow;
    this.prompt = undefined;
    this.promptText = '';
    this.overflow = false;
    this.busy = true;
    const generation = this.generation;
    this.core.record('in', `${text}${send ? '<ctrl-z>' : '<esc>'}`);
    if (!send) {
      void this.respond([], 'OK', generation);
      return;
    }
    void (async () => {
      try {
        if (overflow) throw new CommandFailed({ kind: 'cms', code: prompt.mode === 'pdu' ? 304 : 305 });
        const result = await prompt.complete(text);
        await this.respond(result.lines ?? [], 'OK', generation);
      } catch (error) {
        const failure = error instanceof CommandFailed ? error.failure : ({ kind: 'error' } as const);
        await this.respond([], failureText(failure, this.core.settings.cmee), generation);
      }
    })();
  }

  private async respond(info: string[], final: string | null, generation: number): Promise<void> {
    const delay = this.core.faults.responseDelayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (generation !== this.generation) {
      this.core.record('event', `answer to a command from before the reboot dropped: ${final ?? ''}`);
      return;
    }
    this.writer.response(responseUnits(info, final, this.core.settings), info.length);
    this.idle();
  }

  private idle(): void {
    this.busy = false;
    this.drain();
  }

  private drain(): void {
    while (this.queuedUrcs.length > 0 && !this.busy && !this.prompt) {
      this.writer.write(urcUnits(this.queuedUrcs.shift()!, this.core.settings));
    }
    // Input typed ahead of a prompt belongs to the prompt, so only a running command holds input back.
    while (this.queuedInput.length > 0 && !this.busy) {
      const chunk = this.queuedInput.shift()!;
      this.queuedBytes = Math.max(0, this.queuedBytes - chunk.length);
      this.consume(chunk);
    }
  }
}
