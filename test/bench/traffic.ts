import type { SentSms } from '../../device/modem/index.js';
import type { DaemonRig } from './daemon-rig.js';

/**
 * Command-and-reply traffic through a DaemonRig, as the cloud and a local program would make it: the network delivers
 * command i (`cmd <i> …`, unique so no two share a content id), the program answers every command it receives with
 * reply i (`ok <i>`, transaction `t<i>`). At most `window` commands are between injection and the daemon's reply at
 * the simulated network, so the SIM never fills up and the run measures a steady state, not a backlog.
 *
 * Counting uses bitmaps indexed by i, so a 50,000-message run keeps a few hundred kilobytes in the test process.
 */
export interface TrafficOptions {
  count: number;
  window: number;
  /** Whether the program answers every command (default true); without replies only commands are counted. */
  replies?: boolean;
  /** Called with the number of replies delivered (commands published when not replying), for phase marks. */
  onProgress?: (done: number) => void;
}

export class Traffic {
  injected = 0;
  commands = 0;
  duplicateCommands = 0;
  repliesPublished = 0;
  repliesSent = 0;
  duplicateReplies = 0;
  statusSent = 0;
  statusFailed = 0;
  readonly failures: string[] = [];
  private readonly seenCommand: Uint8Array;
  private readonly seenReply: Uint8Array;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(
    private readonly rig: DaemonRig,
    private readonly o: TrafficOptions,
  ) {
    this.seenCommand = new Uint8Array(o.count);
    this.seenReply = new Uint8Array(o.count);
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    rig.commandListener = (command) => this.onCommand(command.body);
    rig.statusListener = (status) => {
      if (status.status === 'sent') this.statusSent++;
      else if (status.status === 'failed') {
        this.statusFailed++;
        if (this.failures.length < 10) this.failures.push(JSON.stringify(status));
      }
      this.check();
    };
    rig.sim.modem.on('sent', (sms: SentSms) => this.onSent(sms.text ?? ''));
  }

  private get replying(): boolean {
    return this.o.replies ?? true;
  }

  get done(): boolean {
    if (!this.replying) return this.commands >= this.o.count;
    return this.commands >= this.o.count && this.repliesSent >= this.o.count && this.statusSent >= this.o.count;
  }

  /** Starts the traffic; resolves when every command was published and every reply sent (or never, see deadline). */
  run(): Promise<void> {
    this.pump();
    return this.finished;
  }

  private pump(): void {
    const settled = this.replying ? this.repliesSent : this.commands;
    while (this.injected < this.o.count && this.injected - settled < this.o.window) {
      const i = this.injected++;
      this.rig.sim.modem.injectSms({ from: '2936', text: `cmd ${i} set interval 60; report temperature` });
    }
  }

  private onCommand(body: string): void {
    const i = Number(/^cmd (\d+) /.exec(body)?.[1] ?? -1);
    if (i < 0 || i >= this.o.count) return;
    if (this.seenCommand[i]) {
      this.duplicateCommands++;
      return;
    }
    this.seenCommand[i] = 1;
    this.commands++;
    if (!this.replying) {
      this.o.onProgress?.(this.commands);
      this.pump();
      this.check();
      return;
    }
    this.repliesPublished++;
    this.rig.reply(`ok ${i}`, `t${i}`).catch((error: unknown) => {
      if (this.failures.length < 10) this.failures.push(`publish t${i}: ${String(error)}`);
    });
  }

  private onSent(text: string): void {
    const i = Number(/^ok (\d+)$/.exec(text)?.[1] ?? -1);
    if (i < 0 || i >= this.o.count) return;
    if (this.seenReply[i]) {
      this.duplicateReplies++;
      return;
    }
    this.seenReply[i] = 1;
    this.repliesSent++;
    this.o.onProgress?.(this.repliesSent);
    this.pump();
    this.check();
  }

  private check(): void {
    if (this.done) this.resolveFinished();
  }
}
