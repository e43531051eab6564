import { instanceConfigPath, instanceNameProblem } from '../config/instance.js';
import { UsageError } from './command.js';

/**
 * `--instance NAME`, shared by every command that reads the daemon's config: shorthand for
 * `--config /etc/m2m-bridge/NAME.yaml` (M2M_BRIDGE_CONFIG_DIR moves the directory) that also names the instance, so
 * its defaults (base topic m2m/NAME, journal /var/lib/m2m-bridge/NAME/journal.db) are the ones the daemon uses.
 */
export const INSTANCE_OPTION = { instance: { type: 'string' } } as const;

interface ConfigChoice {
  /** The file to load, when one was chosen by --config or --instance. */
  configPath: string | undefined;
  /** `{ "instance.name": NAME }` with --instance; a flag, so it wins over the file and the environment. */
  flags: Record<string, unknown>;
  instance: string | undefined;
}

export function configChoice(values: { config?: string; instance?: string }, env: NodeJS.ProcessEnv): ConfigChoice {
  const name = values.instance;
  if (name === undefined) return { configPath: values.config, flags: {}, instance: undefined };
  if (values.config !== undefined) throw new UsageError('use --config or --instance, not both');
  const problem = instanceNameProblem(name);
  if (problem) throw new UsageError(`--instance: ${problem}`);
  return { configPath: instanceConfigPath(name, env), flags: { 'instance.name': name }, instance: name };
}
