import { join } from 'node:path';

/**
 * Several modems on one gateway run one daemon each (the systemd template `m2m-bridge@<name>`). A named instance
 * gets its own defaults for everything two daemons must never share: the topic prefix, the MQTT session (client id)
 * and the journal. Keys set explicitly win; the conflict checks at start (src/daemon/conflicts.ts) refuse overlaps.
 */

/**
 * One daemon per modem: the instance name tells them apart on the wire (topics, client id, payloads, metrics). The
 * systemd template unit sets it from its instance (`m2m-bridge@lte1` → `--instance lte1`). Lower-case letters,
 * digits, `-` and `_`, so it is valid as a topic level, a file name, a client id and a systemd instance alike.
 */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Where `--instance NAME` looks for NAME.yaml; `M2M_BRIDGE_CONFIG_DIR` moves it (tests, non-standard layouts). */
export const DEFAULT_CONFIG_DIR = '/etc/m2m-bridge';

/** The state directory the template unit creates (StateDirectory=m2m-bridge/%i). */
export const STATE_ROOT = '/var/lib/m2m-bridge';

export function configDir(env: NodeJS.ProcessEnv): string {
  const dir = env.M2M_BRIDGE_CONFIG_DIR;
  return dir !== undefined && dir !== '' ? dir : DEFAULT_CONFIG_DIR;
}

/** Null when the name is fine, else the sentence to show. */
export function instanceNameProblem(name: string): string | null {
  return INSTANCE_NAME_PATTERN.test(name)
    ? null
    : `invalid instance name ${JSON.stringify(name)}: expected 1 to 32 lower-case letters, digits, - and _`;
}

/** `--instance lte1` → /etc/m2m-bridge/lte1.yaml (or under M2M_BRIDGE_CONFIG_DIR). */
export function instanceConfigPath(name: string, env: NodeJS.ProcessEnv): string {
  return join(configDir(env), `${name}.yaml`);
}

interface InstanceDefaults {
  base_topic: string;
  client_id: string;
  store_path: string;
}

/** The defaults of a named instance; `hostClientId` is the unnamed default (m2m-bridge-<hostname>). */
export function instanceDefaults(name: string, hostClientId: string): InstanceDefaults {
  return {
    base_topic: `m2m/${name}`,
    client_id: `${hostClientId}-${name}`.slice(0, 128),
    store_path: join(STATE_ROOT, name, 'journal.db'),
  };
}
