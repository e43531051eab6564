import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { recogniseFinal } from '../at/final-result.js';
import { explainFinal } from './explain.js';
import { explainAnswer } from './explain-answers.js';
import { timestamp } from './format.js';
import type { ConsoleSession, Print, SubmitOutcome } from './session.js';

interface DaemonSessionOptions {
  url: string;
  baseTopic: string;
  print: Print;
  mqtt?: IClientOptions;
  /** How long to wait for the daemon's answer (a command may wait behind a send in flight: +CMGS can take 120 s). */
  responseTimeoutMs?: number;
  /** How long to wait for the retained `bridge/state` before warning that no daemon was seen. */
  stateWaitMs?: number;
  connectTimeoutMs?: number;
  now?: () => number;
}

interface AtResponsePayload {
  status?: unknown;
  data?: { lines?: unknown; final?: unknown } | null;
  error?: unknown;
  transaction?: unknown;
}

/**
 * The console through the running daemon: each line is an MQTT request `<base>/bridge/request/at`
 * `{command, transaction}`, answered on `<base>/bridge/response/at` (src/daemon/at-action.ts). The daemon runs it on
 * its own channel, so nothing fights over the port; only read-only queries are allowed there. The modem's URCs stay
 * with the daemon; the console shows `<base>/modem/state` updates instead, timestamped as they arrive.
 */
export class DaemonSession implements ConsoleSession {
  readonly mode = 'daemon' as const;
  readonly waitingForBody = false;
  private readonly pending = new Map<string, (payload: AtResponsePayload | 'canceled' | null) => void>();
  private closed = false;
  private sequence = 0;
  private readonly now: () => number;
  private lastState = '';
  /** The daemon's retained `bridge/state` ("online"/"offline"), null until one arrived. */
  daemonState: string | null = null;

  private constructor(
    private readonly client: MqttClient,
    private readonly options: DaemonSessionOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  static async connect(options: DaemonSessionOptions): Promise<DaemonSession> {
    const client = await mqtt.connectAsync(options.url, {
      clientId: `m2m-bridge-at-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: 1000,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      ...options.mqtt,
    });
    const session = new DaemonSession(client, options);
    client.on('message', (topic, payload) => session.onMessage(topic, payload.toString('utf8')));
    await client.subscribeAsync(
      [
        `${options.baseTopic}/bridge/response/at`,
        `${options.baseTopic}/modem/state`,
        `${options.baseTopic}/bridge/state`,
      ],
      { qos: 1 },
    );
    // The retained bridge/state arrives right after subscribing when a daemon ever ran on this base topic.
    const timer = setTimeout(() => {
      if (session.daemonState === null) {
        options.print([
          `no ${options.baseTopic}/bridge/state on ${options.url}: is the daemon running, with mqtt.base_topic ${options.baseTopic}?`,
        ]);
      }
    }, options.stateWaitMs ?? 1500);
    timer.unref();
    return session;
  }

  banner(): string {
    return (
      `The daemon holds the port: going through it (${this.options.url}, ${this.options.baseTopic}/bridge/request/at). ` +
      'Read-only queries only (AT, ATI, AT+CSQ, AT+CREG?, AT+COPS?, AT+CPIN?, AT+CPMS? …); .help for help.'
    );
  }

  async submit(line: string): Promise<SubmitOutcome> {
    if (this.closed) return 'canceled';
    const command = line.trim();
    const transaction = `at-${process.pid}-${++this.sequence}`;
    const ms = this.options.responseTimeoutMs ?? 150_000;
    const answer = new Promise<AtResponsePayload | 'canceled' | null>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        resolve(null);
      }, ms);
      this.pending.set(transaction, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
    await this.client.publishAsync(
      `${this.options.baseTopic}/bridge/request/at`,
      JSON.stringify({ command, transaction }),
      {
        qos: 1,
      },
    );
    const payload = await answer;
    if (this.closed || payload === 'canceled') return 'canceled';
    if (payload === null) {
      this.options.print([
        `(no answer from the daemon within ${ms / 1000} s: is it running, on ${this.options.baseTopic}?)`,
      ]);
      return 'timeout';
    }
    this.options.print(formatResponse(payload));
    return responseOutcome(payload);
  }

  cancel(): void {
    if (this.pending.size === 0) return;
    // The daemon still runs the command; its answer, when it comes, belongs to no one and is dropped.
    for (const resolve of this.pending.values()) resolve('canceled');
    this.pending.clear();
    this.options.print(['(canceled: no longer waiting for the daemon)']);
  }

  /** Stops waiting for answers (Ctrl-C) and disconnects. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
    await this.client.endAsync();
  }

  private onMessage(topic: string, text: string): void {
    let payload: AtResponsePayload;
    try {
      payload = JSON.parse(text) as AtResponsePayload;
    } catch {
      return;
    }
    if (topic.endsWith('/bridge/state')) {
      this.daemonState = String((payload as { state?: unknown }).state ?? 'unknown');
      if (this.daemonState !== 'online') {
        this.options.print([
          `${timestamp(this.now())} the daemon is ${this.daemonState} (bridge/state): requests wait for it`,
        ]);
      }
      return;
    }
    if (topic.endsWith('/modem/state')) {
      const state = describeModemState(payload as Record<string, unknown>);
      if (state !== this.lastState) this.options.print([`${timestamp(this.now())} modem/state ${state}`]);
      this.lastState = state;
      return;
    }
    const resolve = typeof payload.transaction === 'string' ? this.pending.get(payload.transaction) : undefined;
    if (!resolve) return; // another console's answer
    this.pending.delete(payload.transaction as string);
    resolve(payload);
  }
}

/** A refusal or an error result is an error; OK and any other final result (+CMGS: …) are not. */
function responseOutcome(payload: AtResponsePayload): SubmitOutcome {
  if (payload.status !== 'ok') return 'error';
  const final = typeof payload.data?.final === 'string' ? payload.data.final : 'OK';
  const kind = recogniseFinal(final)?.kind;
  return kind === undefined || kind === 'ok' ? 'ok' : 'error';
}

/** The daemon's answer as console lines: the modem's lines, its final result and what an error code means. */
export function formatResponse(payload: AtResponsePayload): string[] {
  if (payload.status !== 'ok') return [`error from the daemon: ${String(payload.error ?? 'unknown error')}`];
  const lines = Array.isArray(payload.data?.lines) ? payload.data.lines.map(String) : [];
  const final = typeof payload.data?.final === 'string' ? payload.data.final : 'OK';
  const explanation = explainFinal(final);
  const explained = lines.flatMap((line) => {
    const note = explainAnswer(line, false);
    return note ? [line, `    ↳ ${note}`] : [line];
  });
  return [...explained, final, ...(explanation ? [`    ↳ ${explanation}`] : [])];
}

function describeModemState(state: Record<string, unknown>): string {
  const signal = state.signal as { rssi_dbm?: unknown } | undefined;
  const parts = [String(state.status ?? 'unknown')];
  if (state.registration) parts.push(`registration ${String(state.registration)}`);
  if (typeof signal?.rssi_dbm === 'number') parts.push(`signal ${signal.rssi_dbm} dBm`);
  if (state.reason) parts.push(`(${String(state.reason)})`);
  return parts.join(', ');
}
