import type { Bridge, ModemControl, MqttConnection, RequestAction } from '../bridge/index.js';
import type { Journal } from '../store/index.js';
import type { ModemDetail } from './modem-detail.js';
import type { RetentionReport } from './retention.js';

export interface RecentError {
  /** When it last happened. */
  at: string;
  /** mqtt | modem | reply | publish | retention */
  source: string;
  message: string;
  /** How many times in a row it happened: the same error again updates `at` and this, not the list. */
  count: number;
}

/**
 * What the daemon has seen since it started, for `m2m-bridge status` and the metrics: connects of both links (a
 * reconnect is every connect after the first) and the last few errors. Fed by the connection's and the bridge's events
 * and by the daemon's modem state handler (the modem driver is re-created on `modem/restart`).
 */
export class DaemonActivity {
  readonly startedAt: number;
  mqttConnects = 0;
  modemInits = 0;
  private readonly errors: RecentError[] = [];

  constructor(
    private readonly now: () => number,
    private readonly keep = 10,
  ) {
    this.startedAt = now();
  }

  get mqttReconnects(): number {
    return Math.max(0, this.mqttConnects - 1);
  }

  get modemReconnects(): number {
    return Math.max(0, this.modemInits - 1);
  }

  /** The last errors, newest first. */
  get lastErrors(): RecentError[] {
    return this.errors.map((error) => ({ ...error })).reverse();
  }

  error(source: string, message: string): void {
    const at = new Date(this.now()).toISOString();
    const newest = this.errors.at(-1);
    if (newest && newest.source === source && newest.message === message) {
      newest.at = at;
      newest.count += 1;
      return;
    }
    this.errors.push({ at, source, message, count: 1 });
    if (this.errors.length > this.keep) this.errors.shift();
  }

  attach(connection: MqttConnection, bridge: Bridge): void {
    connection.on('connected', () => {
      this.mqttConnects += 1;
    });
    connection.on('disconnected', (reason) => this.error('mqtt', `disconnected: ${reason}`));
    bridge.events.on('reply_failed', (outcome) =>
      this.error('reply', `reply ${outcome.id} failed: ${outcome.error?.code ?? ''} ${outcome.error?.message ?? ''}`),
    );
    bridge.events.on('publish_failed', ({ topic, message }) => this.error('publish', `${topic}: ${message}`));
  }

  /** The daemon calls this from the modem's `state` event. */
  modemState(state: string, reason: string | null): void {
    if (state === 'initializing') this.modemInits += 1;
    if (
      (state === 'disconnected' || state === 'not_initialized' || state === 'degraded') &&
      reason &&
      reason !== 'stopped'
    )
      this.error('modem', `${state}: ${reason}`);
  }
}

export interface StatusActionOptions {
  version: string;
  activity: DaemonActivity;
  connection: MqttConnection;
  modem: ModemControl;
  journal: Journal;
  now: () => number;
  retention: { maxAgeDays: number; maxBytes: number; last(): RetentionReport | null };
  features: { metrics: { enabled: boolean; port: number }; home_assistant: { enabled: boolean } };
  /** instance.name, or null for the unnamed single-modem daemon. */
  instance?: string | null;
  /** The serving cell and the SMS centre, read from the modem when `status` asks (modem-detail.ts). */
  modemDetail?: () => Promise<ModemDetail>;
  /** Where this daemon's files are, for a technician at the gateway. */
  paths?: StatusPaths;
}

export interface StatusPaths {
  /** The config file read, or null when the daemon runs on the environment and defaults alone. */
  config_file: string | null;
  /** serial.path: the device (or tcp://host:port) the daemon opens. */
  serial_port: string;
  /** store.path: the SQLite journal. */
  journal: string;
}

const NO_DETAIL: ModemDetail = { cell: null, sms_centre: null, unavailable: 'not read by this daemon' };

function errorDetail(error: unknown): ModemDetail {
  return { ...NO_DETAIL, unavailable: error instanceof Error ? error.message : String(error) };
}

function safely<T>(read: () => T): T | { error: string } {
  try {
    return read();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The `status` request action (`bridge/request/status` → `bridge/response/status`), answered by the running daemon for
 * `m2m-bridge status`: daemon and modem state, queue depths, disk use, last errors. Snake_case, like every payload.
 */
export function statusAction(options: StatusActionOptions): RequestAction {
  return async () => {
    // First, while the clock below still says when the answer was asked for: the modem takes a moment to answer.
    const detail = options.modemDetail
      ? await options.modemDetail().catch((error: unknown) => errorDetail(error))
      : NO_DETAIL;
    const now = options.now();
    const last = options.retention.last();
    return {
      daemon: {
        version: options.version,
        instance: options.instance ?? null,
        pid: process.pid,
        started_at: new Date(options.activity.startedAt).toISOString(),
        uptime_seconds: Math.round((now - options.activity.startedAt) / 1000),
        mqtt: options.connection.connected ? 'connected' : 'disconnected',
        mqtt_reconnects: options.activity.mqttReconnects,
        modem_reconnects: options.activity.modemReconnects,
        features: options.features,
      },
      modem: safely(() => ({
        ...options.modem.view(),
        identity: options.modem.identity(),
        cell: detail.cell,
        sms_centre: detail.sms_centre,
        detail_unavailable: detail.unavailable,
      })),
      queues: safely(() => options.journal.counts()),
      storage: {
        ...safely(() => options.journal.storageUsage()),
        max_bytes: options.retention.maxBytes,
        retention_days: options.retention.maxAgeDays,
        last_retention_at: last ? new Date(last.at).toISOString() : null,
        over_size: last?.over_size ?? false,
      },
      last_errors: options.activity.lastErrors,
      paths: options.paths ?? null,
    };
  };
}
