/**
 * src/config: YAML + environment + flags → one validated, typed config (ARCHITECTURE.md, Config). `loadConfig` is the
 * entry; every error names the key and what is expected.
 */
export { ConfigError, type ConfigIssue, formatIssue, type ValueOrigin } from './errors.js';
export {
  configDir,
  DEFAULT_CONFIG_DIR,
  instanceConfigPath,
  instanceDefaults,
  instanceNameProblem,
  STATE_ROOT,
} from './instance.js';
export { CONFIG_KEYS, type ConfigKey, ENV_PREFIX } from './keys.js';
export {
  type BridgeSecrets,
  DEFAULT_CONFIG_PATH,
  ENVIRONMENT_VARIABLES,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from './load.js';
export { type LoadReply, loadConfigIsolated } from './load-isolated.js';
export { type ConfigSummary, configSummary, REDACTED, redactedConfig } from './redact.js';
export { configJsonSchema, configReferenceMarkdown } from './reference.js';
export {
  type BridgeConfig,
  configSchema,
  INSTANCE_NAME_PATTERN,
  LOG_LEVELS,
  MODEM_PROFILES,
  MODEM_STORAGES,
  PRODUCTS,
} from './schema.js';
