import type { Logger } from 'pino';
import { MODEM_VIEW_STATUSES, type ModemIdentityView } from './modem-view.js';
import type { MqttConnection } from './mqtt-connection.js';
import type { Topics } from './topics.js';

/**
 * Home Assistant MQTT discovery (opt-in, `home_assistant.enabled`): one retained config per sensor on
 * `<discovery_prefix>/sensor/<node_id>/<object_id>/config`, all tied to one device (the modem), all reading the
 * bridge's own retained topics, so HA needs nothing else from us. Per home-assistant.io/integrations/mqtt
 * ("MQTT Discovery") and /integrations/sensor.mqtt:
 * - node_id and object_id are `[a-zA-Z0-9_-]+`; `unique_id` makes the entity editable and ties it to the device;
 * - `device.identifiers` must stay stable: the node's own id is always there, the IMEI is added once it is known
 *   (HA merges a device on any shared identifier);
 * - availability reads `bridge/state` (`{"state":"online"}`) through a value_template;
 * - a template that renders `None` (a null in our JSON) sets the sensor to unknown (HA's PAYLOAD_NONE).
 */

export interface HaDiscoveryOptions {
  connection: MqttConnection;
  topics: Topics;
  /** `home_assistant.discovery_prefix`; default `homeassistant`. */
  discoveryPrefix: string;
  /** `home_assistant.node_id`, `[a-zA-Z0-9_-]+`. */
  nodeId: string;
  version: string;
  /** The modem's identity, or null while unknown (before the first init). */
  identity(): ModemIdentityView | null;
  logger: Logger;
}

interface SensorSpec {
  object_id: string;
  name: string;
  state_topic: string;
  value_template: string;
  extra?: Record<string, unknown>;
}

/** Node ids allow letters, digits, `_` and `-` only; anything else becomes `_`. */
export function haNodeId(raw: string): string {
  return raw.replace(/[^a-zA-Z0-9_-]/g, '_') || 'm2m_bridge';
}

export class HaDiscovery {
  private readonly onConnected = () => this.publishAll();

  constructor(private readonly options: HaDiscoveryOptions) {
    if (!/^[a-zA-Z0-9_-]+$/.test(options.nodeId))
      throw new Error(`home_assistant.node_id: expected letters, digits, _ and - only, got "${options.nodeId}"`);
  }

  start(): void {
    this.options.connection.on('connected', this.onConnected);
    if (this.options.connection.connected) this.publishAll();
  }

  stop(): void {
    this.options.connection.off('connected', this.onConnected);
  }

  /** Re-publishes the configs (the modem's identity became known: the device block gains its IMEI and model). */
  refresh(): void {
    if (this.options.connection.connected) this.publishAll();
  }

  /** Every discovery entry: topic → config object. */
  entries(): Map<string, Record<string, unknown>> {
    const { topics, nodeId } = this.options;
    const identity = this.options.identity();
    const device: Record<string, unknown> = {
      identifiers: [`m2m_bridge_${nodeId}`, ...(identity?.imei ? [`imei_${identity.imei}`] : [])],
      name: `M2M bridge ${nodeId}`,
      manufacturer: identity?.manufacturer ?? 'unknown',
      model: identity?.model ?? 'cellular modem',
      ...(identity?.revision ? { sw_version: identity.revision } : {}),
      ...(identity?.imei ? { serial_number: identity.imei } : {}),
    };
    const availability = [
      {
        topic: topics.bridgeState,
        value_template: '{{ value_json.state }}',
        payload_available: 'online',
        payload_not_available: 'offline',
      },
    ];
    const diagnostic = { entity_category: 'diagnostic' };
    const sensors: SensorSpec[] = [
      {
        object_id: 'signal',
        name: 'Signal',
        state_topic: topics.modemState,
        value_template: '{{ value_json.signal.rssi_dbm }}',
        extra: {
          unit_of_measurement: 'dBm',
          device_class: 'signal_strength',
          state_class: 'measurement',
          ...diagnostic,
        },
      },
      {
        object_id: 'registration',
        name: 'Registration',
        state_topic: topics.modemState,
        value_template: '{{ value_json.registration }}',
        extra: { icon: 'mdi:access-point-network', ...diagnostic },
      },
      {
        object_id: 'operator',
        name: 'Operator',
        state_topic: topics.modemState,
        value_template: '{{ value_json.operator }}',
        extra: { icon: 'mdi:sim', ...diagnostic },
      },
      {
        object_id: 'sms_storage_used',
        name: 'SMS storage used',
        state_topic: topics.modemState,
        value_template: '{{ value_json.storage.used }}',
        extra: {
          unit_of_measurement: 'messages',
          state_class: 'measurement',
          json_attributes_topic: topics.modemState,
          json_attributes_template: '{{ value_json.storage | tojson }}',
          icon: 'mdi:message-processing',
          ...diagnostic,
        },
      },
      {
        object_id: 'journal_size',
        name: 'Journal size',
        state_topic: topics.bridgeInfo,
        value_template: '{{ value_json.storage.total_bytes }}',
        extra: { unit_of_measurement: 'B', device_class: 'data_size', state_class: 'measurement', ...diagnostic },
      },
      {
        object_id: 'modem_status',
        name: 'Modem status',
        state_topic: topics.modemState,
        value_template: '{{ value_json.status }}',
        extra: {
          device_class: 'enum',
          options: [...MODEM_VIEW_STATUSES],
          json_attributes_topic: topics.modemState,
          json_attributes_template: '{{ {"reason": value_json.reason} | tojson }}',
        },
      },
      {
        object_id: 'last_command',
        name: 'Last command',
        state_topic: topics.commandReceived,
        // A state is at most 255 characters in HA; the whole command is in the attributes.
        value_template: '{{ value_json.body[:255] }}',
        extra: {
          icon: 'mdi:message-text',
          json_attributes_topic: topics.commandReceived,
          json_attributes_template:
            '{{ {"id": value_json.id, "sid": value_json.sid, "from": value_json.from, "mode": value_json.mode, "sent_at": value_json.sent_at, "received_at": value_json.received_at} | tojson }}',
        },
      },
    ];
    const out = new Map<string, Record<string, unknown>>();
    for (const sensor of sensors) {
      out.set(`${this.options.discoveryPrefix}/sensor/${nodeId}/${sensor.object_id}/config`, {
        name: sensor.name,
        unique_id: `${nodeId}_${sensor.object_id}`,
        state_topic: sensor.state_topic,
        value_template: sensor.value_template,
        availability,
        availability_mode: 'latest',
        device,
        origin: { name: 'm2m-bridge', sw_version: this.options.version },
        ...sensor.extra,
      });
    }
    return out;
  }

  private publishAll(): void {
    for (const [topic, config] of this.entries()) {
      this.options.connection
        .publish(topic, JSON.stringify(config), { retain: true })
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error, topic }, 'Home Assistant discovery publish failed'),
        );
    }
  }
}
