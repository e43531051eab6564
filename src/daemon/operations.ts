import {
  type Bridge,
  HaDiscovery,
  haNodeId,
  type ModemControl,
  type MqttConnection,
  type RequestAction,
  type Topics,
} from '../bridge/index.js';
import type { BridgeConfig } from '../config/index.js';
import { isInitialised, type ModemState } from '../modem/index.js';
import type { Journal, StorageUsage } from '../store/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { MetricsServer } from './metrics-server.js';
import { Retention } from './retention.js';
import { DaemonActivity, type StatusActionOptions, statusAction } from './status-action.js';

interface OperationsOptions {
  config: BridgeConfig;
  journal: Journal;
  now: () => number;
  /** The daemon's clock: retention's passes run on it. */
  clock: Clock;
  logger: Logger;
  version: string;
  /** The modem's identity for Home Assistant's device block, or null before the first init. */
  identity: ModemControl['identity'];
}

/**
 * What a gateway operator needs around the bridge, besides moving messages: journal retention, the `status` request, metrics and
 * /healthz, Home Assistant discovery. Kept out of daemon.ts so the composition root stays a list of steps; each part
 * is optional except retention and status.
 */
export class Operations {
  readonly activity: DaemonActivity;
  readonly retention: Retention;
  private metrics: MetricsServer | null = null;
  private ha: HaDiscovery | null = null;
  private bridge: Bridge | null = null;

  constructor(private readonly options: OperationsOptions) {
    const { config, journal, now, logger } = options;
    this.activity = new DaemonActivity(now);
    this.retention = new Retention({
      journal,
      now,
      clock: options.clock,
      logger: logger.child({ component: 'retention' }),
      maxAgeMs: config.store.retention_days * 86_400_000,
      maxBytes: config.store.max_size_mb * 1024 * 1024,
      // The journal's size is on bridge/info (retained): refresh it after every pass.
      onRun: () => this.bridge?.infoChanged(),
      onError: (message) => this.activity.error('retention', message),
    });
  }

  /** The `status` request action (bridge/request/status). */
  statusAction(
    connection: MqttConnection,
    modem: ModemControl,
    extra: Pick<StatusActionOptions, 'modemDetail' | 'paths'> = {},
  ): RequestAction {
    const { config } = this.options;
    return statusAction({
      ...extra,
      version: this.options.version,
      instance: config.instance.name ?? null,
      activity: this.activity,
      connection,
      modem,
      journal: this.options.journal,
      now: this.options.now,
      retention: {
        maxAgeDays: config.store.retention_days,
        maxBytes: config.store.max_size_mb * 1024 * 1024,
        last: () => this.retention.lastReport,
      },
      features: {
        metrics: { enabled: config.metrics.enabled, port: config.metrics.port },
        home_assistant: { enabled: config.home_assistant.enabled },
      },
    });
  }

  /** Disk use for bridge/info (null if the journal cannot say, e.g. closed during shutdown). */
  storage(): StorageUsage | null {
    try {
      return this.options.journal.storageUsage();
    } catch {
      return null;
    }
  }

  async start(parts: {
    bridge: Bridge;
    connection: MqttConnection;
    modem: ModemControl;
    topics: Topics;
  }): Promise<void> {
    const { config, logger } = this.options;
    this.bridge = parts.bridge;
    this.activity.attach(parts.connection, parts.bridge);
    this.retention.start();
    if (config.home_assistant.enabled) {
      this.ha = new HaDiscovery({
        connection: parts.connection,
        topics: parts.topics,
        discoveryPrefix: config.home_assistant.discovery_prefix,
        nodeId: config.home_assistant.node_id ?? haNodeId(config.mqtt.client_id),
        version: this.options.version,
        identity: () => {
          try {
            return this.options.identity();
          } catch {
            return null;
          }
        },
        logger: logger.child({ component: 'home-assistant' }),
      });
      this.ha.start();
    }
    if (config.metrics.enabled) {
      // Loaded only when enabled: prom-client costs memory a small gateway should not pay for an unused feature.
      const { createMetrics, health } = await import('./metrics.js');
      const { MetricsServer } = await import('./metrics-server.js');
      const registry = createMetrics({
        ...parts,
        journal: this.options.journal,
        activity: this.activity,
        version: this.options.version,
        instance: config.instance.name ?? null,
      });
      const server = new MetricsServer({
        registry,
        health: () => health(parts.connection, parts.modem, () => parts.bridge.alarmList()),
        port: config.metrics.port,
        logger: logger.child({ component: 'metrics' }),
      });
      try {
        await server.start();
        this.metrics = server;
      } catch (error) {
        // Metrics are an add-on: the bridge keeps running without them (the error is in the log and in `status`).
        const message = error instanceof Error ? error.message : String(error);
        logger.error({ err: error }, `metrics disabled: ${message}`);
        this.activity.error('metrics', message);
      }
    }
  }

  /** The daemon's modem `state` handler calls this. */
  modemState(state: ModemState, previous: ModemState | null, reason: string | null): void {
    this.activity.modemState(state, reason);
    // The identity (IMEI, model) is read during init: HA's device block can carry it now.
    if (isInitialised(state) && previous === 'initializing') this.ha?.refresh();
  }

  /** Before the journal closes: no retention step may run on a closed journal. */
  async stop(): Promise<void> {
    this.ha?.stop();
    await this.metrics?.stop();
    await this.retention.stop();
  }
}
