import { Counter, Gauge, Registry } from 'prom-client';
import {
  type Alarm,
  type Bridge,
  type HealthVerdict,
  judgeHealth,
  type ModemControl,
  type ModemView,
  type MqttConnection,
} from '../bridge/index.js';
import { MODEM_STATES } from '../modem/index.js';
import type { Journal, JournalCounts } from '../store/index.js';
import type { DaemonActivity } from './status-action.js';

export interface MetricsSources {
  bridge: Bridge;
  connection: MqttConnection;
  modem: ModemControl;
  journal: Journal;
  activity: DaemonActivity;
  version: string;
  /** instance.name: every series then carries `instance_name` (not `instance`, which Prometheus sets itself). */
  instance?: string | null;
}

const QUEUES: (keyof JournalCounts)[] = [
  'inbox_unpublished',
  'parts_pending',
  'outbox_queued',
  'outbox_sending',
  'outbox_sent',
  'status_unpublished',
];

function modemView(modem: ModemControl): ModemView | null {
  try {
    return modem.view();
  } catch {
    return null; // not started yet, or being restarted
  }
}

/**
 * The daemon's Prometheus metrics, on a registry of its own (never prom-client's global default: no module-level
 * state, STYLE.md). Counters follow the bridge's events; gauges are read from the live sources at scrape time, so
 * they can never drift from what `m2m-bridge status` shows. Names follow prometheus.io/docs/practices/naming
 * (`m2m_bridge_` prefix, `_total` for counters, base units: bytes, dBm).
 */
export function createMetrics(s: MetricsSources): Registry {
  const registry = new Registry();
  if (s.instance) registry.setDefaultLabels({ instance_name: s.instance });
  const registers = [registry];

  new Gauge({ name: 'm2m_bridge_info', help: 'Always 1; the version as a label.', labelNames: ['version'], registers })
    .labels(s.version)
    .set(1);

  const inbound = new Counter({
    name: 'm2m_bridge_inbound_recorded_total',
    help: 'SMS from the modem committed to the journal for publishing.',
    registers,
  });
  const published = new Counter({
    name: 'm2m_bridge_commands_published_total',
    help: 'Inbound records acknowledged by the broker (kind: command on command/received, rejected on sms/rejected).',
    labelNames: ['kind'],
    registers,
  });
  const replies = {
    queued: new Counter({ name: 'm2m_bridge_replies_queued_total', help: 'Replies taken from MQTT.', registers }),
    sent: new Counter({ name: 'm2m_bridge_replies_sent_total', help: 'Replies the modem sent.', registers }),
    delivered: new Counter({
      name: 'm2m_bridge_replies_delivered_total',
      help: 'Replies a status report confirmed delivered.',
      registers,
    }),
    failed: new Counter({ name: 'm2m_bridge_replies_failed_total', help: 'Replies finally failed.', registers }),
  };
  s.bridge.events.on('inbound_recorded', () => inbound.inc());
  s.bridge.events.on('command_published', ({ kind }) => published.labels(kind).inc());
  s.bridge.events.on('reply_queued', () => replies.queued.inc());
  s.bridge.events.on('reply_sent', () => replies.sent.inc());
  s.bridge.events.on('reply_delivered', () => replies.delivered.inc());
  s.bridge.events.on('reply_failed', () => replies.failed.inc());
  for (const kind of ['command', 'rejected']) published.labels(kind).inc(0);

  const reconnects = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  reconnects('m2m_bridge_mqtt_reconnects_total', 'MQTT connections after the first.', () => s.activity.mqttReconnects);
  reconnects(
    'm2m_bridge_modem_reconnects_total',
    'Modem initialisations after the first (port reopened, recovery, restart).',
    () => s.activity.modemReconnects,
  );

  new Gauge({
    name: 'm2m_bridge_mqtt_connected',
    help: '1 while connected to the broker.',
    registers,
    collect() {
      this.set(s.connection.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'm2m_bridge_queue_depth',
    help: 'Journal records waiting, by queue (see Journal.counts).',
    labelNames: ['queue'],
    registers,
    collect() {
      const counts = s.journal.counts();
      for (const queue of QUEUES) this.labels(queue).set(counts[queue]);
    },
  });
  new Gauge({
    name: 'm2m_bridge_modem_state',
    help: '1 for the modem state the driver is in, 0 for the others.',
    labelNames: ['state'],
    registers,
    collect() {
      const status = modemView(s.modem)?.status ?? 'disconnected';
      for (const state of MODEM_STATES) this.labels(state).set(state === status ? 1 : 0);
    },
  });
  const modemGauge = (name: string, help: string, read: (view: ModemView) => number | null) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.reset(); // unknown → no sample, rather than a made-up 0
        const view = modemView(s.modem);
        const value = view ? read(view) : null;
        if (value !== null) this.set(value);
      },
    });
  modemGauge('m2m_bridge_modem_signal_dbm', 'Received signal strength (dBm), from AT+CSQ.', (v) => v.signal.rssi_dbm);
  modemGauge('m2m_bridge_modem_storage_used', 'SMS slots used in the modem storage.', (v) => v.storage.used);
  modemGauge('m2m_bridge_modem_storage_total', 'SMS slots in the modem storage.', (v) => v.storage.total);
  new Gauge({
    name: 'm2m_bridge_journal_bytes',
    help: 'Journal size on disk by file (db, wal), and the bytes holding data (used).',
    labelNames: ['file'],
    registers,
    collect() {
      const usage = s.journal.storageUsage();
      this.labels('db').set(usage.db_bytes);
      this.labels('wal').set(usage.wal_bytes);
      this.labels('used').set(usage.used_bytes);
    },
  });
  return registry;
}

/**
 * What `/healthz` answers: the bridge's one health rule (src/bridge/health.ts, the same as the `health_check`
 * request's): 200 only for `level` `ok`; 503 for `degraded` (a degraded modem, or an alarm such as the journal not
 * being written) and `down` (no broker, or a modem that is not initialised). A watchdog that should restart only
 * what a restart can fix checks `level` for `down`, not the status code.
 */
export interface Health extends HealthVerdict {
  mqtt: 'connected' | 'disconnected';
  modem: { status: ModemView['status']; reason: string | null; cause: string | null };
  alarms: Alarm[];
}

/** `/healthz`, following the modem's state and the bridge's alarms (see Health). */
export function health(connection: MqttConnection, modem: ModemControl, alarms: () => Alarm[]): Health {
  const view = modemView(modem);
  const standing = alarms();
  const verdict = judgeHealth({ brokerConnected: connection.connected, modem: view, alarms: standing });
  return {
    ...verdict,
    mqtt: connection.connected ? 'connected' : 'disconnected',
    modem: {
      status: view?.status ?? 'disconnected',
      reason: view ? view.reason : 'not started',
      cause: view?.cause ?? null,
    },
    alarms: standing,
  };
}
