/** The `status` action's answer (src/daemon/status-action.ts) as text for a terminal. */
import { cellReported, formatCellIdentity, formatCellSignal } from './cell-format.js';

type Obj = Record<string, unknown>;

const obj = (value: unknown): Obj => (value && typeof value === 'object' ? (value as Obj) : {});
const show = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));

function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function duration(seconds: unknown): string {
  if (typeof seconds !== 'number') return '—';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${seconds % 60}s`;
}

/** The SMS centre as AT+CSCA? gave it: the number, "none set", or not read. */
function smsCentre(modem: Obj): string {
  if (modem.sms_centre === '') return 'none set (every reply will fail with +CMS ERROR: 330)';
  if (typeof modem.sms_centre === 'string') return modem.sms_centre;
  return modem.detail_unavailable ? `not read: ${String(modem.detail_unavailable)}` : 'not reported';
}

function cellRows(modem: Obj): [string, string][] {
  if (modem.cell && typeof modem.cell === 'object' && !cellReported(modem.cell as Obj))
    return [['cell', 'not reported by this modem']];
  if (modem.cell && typeof modem.cell === 'object')
    return [
      ['cell', formatCellIdentity(modem.cell as Obj)],
      ['radio', formatCellSignal(modem.cell as Obj)],
    ];
  return [['cell', `not read: ${show(modem.detail_unavailable ?? 'this daemon does not report it')}`]];
}

/** The current network, or "unknown" with the last reading and its time when the modem is not initialised. */
function networkLine(modem: Obj): string {
  const reading = (view: Obj) => {
    const signal = obj(view.signal);
    return `${show(view.registration)}, ${show(view.operator)} ${show(view.access_technology)}, signal ${show(signal.rssi_dbm)} dBm (${show(signal.quality)})`;
  };
  const last = modem.last_known ? obj(modem.last_known) : null;
  if (!last) return reading(modem);
  return `unknown now; last known ${reading(last)} as of ${show(last.as_of)}`;
}

export function formatStatus(data: Obj): string {
  const daemon = obj(data.daemon);
  const modem = obj(data.modem);
  const identity = obj(modem.identity);
  const smsStorage = obj(modem.storage);
  const queues = obj(data.queues);
  const storage = obj(data.storage);
  const errors = Array.isArray(data.last_errors) ? (data.last_errors as Obj[]) : [];
  const features = obj(daemon.features);
  const metrics = obj(features.metrics);
  const paths = obj(data.paths);
  const rows: [string, string][] = [
    [
      'daemon',
      `m2m-bridge ${show(daemon.version)}${daemon.instance ? ` instance ${show(daemon.instance)}` : ''}, pid ${show(daemon.pid)}, up ${duration(daemon.uptime_seconds)} (since ${show(daemon.started_at)})`,
    ],
    [
      'mqtt',
      `${show(daemon.mqtt)}, ${show(daemon.mqtt_reconnects)} reconnects; modem ${show(daemon.modem_reconnects)} reconnects`,
    ],
    [
      'modem',
      `${show(modem.status)}${modem.cause ? ` ${show(modem.cause)}` : ''}${modem.reason ? ` (${modem.reason})` : ''}`,
    ],
    ['device', `${show(identity.manufacturer)} ${show(identity.model)} rev ${show(identity.revision)}`],
    ['identity', `IMEI ${show(identity.imei)}, ICCID ${show(identity.iccid)}, IMSI ${show(identity.imsi)}`],
    ['network', networkLine(modem)],
    ...cellRows(modem),
    ['sms storage', `${show(smsStorage.used)} / ${show(smsStorage.total)} used`],
    ['sms centre', smsCentre(modem)],
    [
      'queues',
      `inbox unpublished ${show(queues.inbox_unpublished)}, parts pending ${show(queues.parts_pending)}, ` +
        `replies queued ${show(queues.outbox_queued)} / sending ${show(queues.outbox_sending)} / sent ${show(queues.outbox_sent)}, ` +
        `statuses unpublished ${show(queues.status_unpublished)}`,
    ],
    [
      'journal',
      `${formatBytes(storage.total_bytes)} on disk (db ${formatBytes(storage.db_bytes)} + wal ${formatBytes(storage.wal_bytes)}), ` +
        `data ${formatBytes(storage.used_bytes)} of ${formatBytes(storage.max_bytes)} cap, ${show(storage.retention_days)} days kept` +
        (storage.over_size ? ' — OVER THE CAP, nothing finished left to prune' : ''),
    ],
    [
      'paths',
      `config ${show(paths.config_file ?? (data.paths ? 'none (environment and defaults)' : null))}, ` +
        `serial ${show(paths.serial_port)}, journal ${show(paths.journal)}`,
    ],
    [
      'features',
      `metrics ${metrics.enabled ? `on http://127.0.0.1:${show(metrics.port)}/metrics` : 'off'}, ` +
        `home assistant ${obj(features.home_assistant).enabled ? 'on' : 'off'}`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  lines.push(`${'errors'.padEnd(width)}  ${errors.length === 0 ? 'none' : ''}`.trimEnd());
  for (const error of errors) {
    const times = typeof error.count === 'number' && error.count > 1 ? ` (${error.count} times in a row)` : '';
    lines.push(`  ${show(error.at)}  ${show(error.source)}: ${show(error.message)}${times}`);
  }
  return `${lines.join('\n')}\n`;
}
