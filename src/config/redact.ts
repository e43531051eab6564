import type { BridgeConfig } from './schema.js';

export const REDACTED = '[redacted]';

/**
 * The config as logs may show it: the one secret that can sit in the config itself (modem.pin) is masked, and any
 * user:password in the broker URL too (validation refuses one, but this stays safe on its own). File paths are kept:
 * they say where a secret is, not what it is.
 */
export function redactedConfig(config: BridgeConfig): BridgeConfig {
  const copy = structuredClone(config);
  if (copy.modem.pin !== undefined) copy.modem.pin = REDACTED;
  copy.mqtt.url = copy.mqtt.url.replace(/^([a-z]+:\/\/)[^/@]*@/i, `$1${REDACTED}@`);
  return copy;
}

/** The short summary published in `bridge/info`: what the bridge is doing, nothing secret, no file paths. */
export interface ConfigSummary {
  /** instance.name, or null for the unnamed single-modem daemon. */
  instance: string | null;
  product: BridgeConfig['commands']['product'];
  base_topic: string;
  allowed_senders: string[] | null;
  publish_rejected: boolean;
  allow_multipart: boolean;
  mqtt_version: 4 | 5;
  mqtt_tls: boolean;
  modem_profile: BridgeConfig['modem']['profile'];
  modem_storage: BridgeConfig['modem']['storage'];
  serial_path: string;
  baud_rate: number;
  log_level: BridgeConfig['log']['level'];
}

export function configSummary(config: BridgeConfig): ConfigSummary {
  return {
    instance: config.instance.name ?? null,
    product: config.commands.product,
    base_topic: config.mqtt.base_topic,
    allowed_senders: config.commands.allowed_senders ?? null,
    publish_rejected: config.commands.publish_rejected,
    allow_multipart: config.commands.allow_multipart,
    mqtt_version: config.mqtt.version,
    mqtt_tls: /^(mqtts|wss|ssl):/i.test(config.mqtt.url) || config.mqtt.ca !== undefined,
    modem_profile: config.modem.profile,
    modem_storage: config.modem.storage,
    serial_path: config.serial.path,
    baud_rate: config.serial.baud_rate,
    log_level: config.log.level,
  };
}
