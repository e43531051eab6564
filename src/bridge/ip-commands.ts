import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { asksForIp, commandFromDatagram, parseIpReply, ReplyValidationError } from '../commands/index.js';
import type { Journal } from '../store/index.js';
import { type CommandStatusPayload, rejectedReplyPayload } from './payloads.js';

/**
 * The MQTT side of Super SIM IP Commands. The UDP socket itself is src/ip's; the bridge sees it through this port so
 * it stays free of sockets (ARCHITECTURE.md layering).
 */
export interface DatagramPort {
  onDatagram(
    listener: (datagram: { payload: Buffer; from: { address: string; port: number }; receivedAt: number }) => void,
  ): () => void;
  /** Resolves when the datagram left the socket; rejects with an error carrying `code` when it could not. */
  send(payload: Uint8Array, to: { address: string; port: number }): Promise<void>;
}

export interface IpCommandsOptions {
  journal: Journal;
  port: DatagramPort;
  /** Where replies go: ip_commands.mo_address and mo_port. */
  destination: { address: string; port: number };
  payloadMode: 'text' | 'binary';
  now: () => number;
  logger: Logger;
  /** A command was committed: publish it (the bridge's inbound drain). */
  onInbound(): void;
  /** A status event was committed: publish it. */
  onStatus(): void;
  /** A refused reply's status, published without waiting (as ReplyIntake does). */
  publishRejection(payload: CommandStatusPayload): void;
}

/**
 * - In: each accepted datagram is committed to the journal as a command (`transport` ip) before anything is
 *   published; the bridge's inbound drain publishes it on command/received and re-publishes after restarts until the
 *   broker acknowledged it, as for SMS.
 * - Out: a `command/send` with `"transport":"ip"` is validated (≤ 1300 bytes), committed (the PUBACK follows), sent
 *   as one datagram to `destination`, and reported `sent` when it left the socket (UDP says no more) or `failed`.
 */
export class IpCommands {
  private unsubscribe: (() => void) | null = null;
  private sending: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: IpCommandsOptions) {}

  start(): void {
    this.unsubscribe = this.options.port.onDatagram((datagram) => this.receive(datagram));
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.sending;
  }

  /** True (and handled: committed or refused) when a command/send payload asks for the IP transport. */
  handleSend(payload: Buffer): boolean {
    if (!asksForIp(payload)) return false;
    let request: ReturnType<typeof parseIpReply>;
    try {
      request = parseIpReply(payload);
    } catch (error) {
      if (!(error instanceof ReplyValidationError)) throw error;
      this.options.logger.warn({ code: error.code, field: error.field }, `IP reply refused: ${error.message}`);
      this.options.publishRejection(
        rejectedReplyPayload(error.transaction, error.code, error.message, new Date(this.options.now())),
      );
      return true;
    }
    const dedupeKey =
      request.transaction === null
        ? null
        : createHash('sha256')
            .update(JSON.stringify(['ip', request.transaction, request.mode, request.body]))
            .digest('hex');
    const { address, port } = this.options.destination;
    const recorded = this.options.journal.enqueueReply({
      dedupe_key: dedupeKey,
      transaction: request.transaction,
      destination: `${address}:${port}`,
      mode: request.mode,
      body: request.body,
      parts: 1,
      transport: 'ip',
    });
    if (!recorded.created) this.options.journal.repeatStatus(recorded.entry.id);
    this.options.onStatus();
    if (recorded.created) this.kick();
    return true;
  }

  /** Sends what is queued for the IP transport (after a commit, at start). */
  kick(): void {
    if (this.stopped) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.drain()
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'IP reply sender stopped on an error; next kick retries'),
      )
      .finally(() => {
        this.sending = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private receive(datagram: { payload: Buffer; from: { address: string; port: number }; receivedAt: number }): void {
    const record = commandFromDatagram({
      id: `ip_${randomUUID().replaceAll('-', '')}`,
      bytes: datagram.payload,
      from: datagram.from,
      receivedAt: datagram.receivedAt,
      prefer: this.options.payloadMode,
    });
    try {
      this.options.journal.recordInbound({
        key: record.id,
        kind: 'command',
        sender: record.from,
        payload: JSON.stringify(record),
        publish: true,
        transport: 'ip',
      });
    } catch (error) {
      // UDP cannot be asked again: say loudly that this one is lost rather than pretending.
      this.options.logger.error(
        { err: error, from: record.from, bytes: datagram.payload.length },
        'IP Command lost: the journal cannot be written',
      );
      return;
    }
    this.options.logger.info({ id: record.id, from: record.from, mode: record.mode }, 'IP Command received');
    this.options.onInbound();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const entry = this.options.journal.nextDueReply(this.options.now(), 'ip');
      if (!entry) return;
      this.options.journal.markSending(entry.id);
      const data = entry.mode === 'binary' ? Buffer.from(entry.body, 'base64') : Buffer.from(entry.body, 'utf8');
      const [address = '', portText = ''] = splitDestination(entry.destination);
      try {
        await this.options.port.send(data, { address, port: Number(portText) });
        this.options.journal.recordPartSent(entry.id, 0, null);
        this.options.journal.markSent(entry.id);
        this.options.logger.info({ id: entry.id, to: entry.destination, bytes: data.length }, 'IP reply sent');
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        this.options.journal.markFailed(entry.id, {
          code: typeof code === 'string' ? code : 'send_failed',
          message: (error as Error).message,
        });
        this.options.logger.warn({ id: entry.id, err: error }, 'IP reply failed');
      }
      this.options.onStatus();
    }
  }
}

/** `100.64.0.1:6969` → address and port (the last colon separates them). */
function splitDestination(destination: string): [string, string] {
  const at = destination.lastIndexOf(':');
  return [destination.slice(0, at), destination.slice(at + 1)];
}
