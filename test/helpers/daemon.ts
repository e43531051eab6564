import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cliPath } from './cli.js';
import { waitFor } from './wait.js';

/** What every test daemon needs: its modem, its broker, its base topic and its journal. */
export interface DaemonBasics {
  serialPath: string;
  mqttUrl: string;
  /** Left out of the config when undefined, so the daemon's default applies (m2m, or m2m/NAME for an instance). */
  baseTopic: string | undefined;
  storePath: string;
}

/**
 * The YAML config of a test daemon: the basics, plus any other sections and keys (`{ metrics: { enabled: true } }`;
 * keys of `serial`, `mqtt` and `store` add to the basics).
 */
export function daemonConfig(basics: DaemonBasics, extra: Record<string, Record<string, unknown>> = {}): string {
  const sections: Record<string, Record<string, unknown>> = {
    serial: { path: basics.serialPath },
    mqtt: { url: basics.mqttUrl, ...(basics.baseTopic === undefined ? {} : { base_topic: basics.baseTopic }) },
    store: { path: basics.storePath },
  };
  for (const [name, keys] of Object.entries(extra)) sections[name] = { ...sections[name], ...keys };
  return stringify(sections);
}

/** `m2m-bridge run` as a real process, with its JSON log lines collected. */
export class DaemonProcess {
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  private exit: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ msg: line, unparsed: true });
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Writes the config (YAML text) beside the other test files and starts the daemon with it. */
  static start(dir: string, yaml: string, env: NodeJS.ProcessEnv = {}): DaemonProcess {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, yaml, { mode: 0o600 });
    const child = spawn(process.execPath, [cliPath, 'run', '--config', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new DaemonProcess(child);
  }

  /** Writes `<configDir>/NAME.yaml` and starts `m2m-bridge run --instance NAME` with M2M_BRIDGE_CONFIG_DIR=configDir. */
  static startInstance(configDir: string, name: string, yaml: string, env: NodeJS.ProcessEnv = {}): DaemonProcess {
    writeFileSync(join(configDir, `${name}.yaml`), yaml, { mode: 0o600 });
    return DaemonProcess.run(['--instance', name], { M2M_BRIDGE_CONFIG_DIR: configDir, ...env });
  }

  /** `m2m-bridge run ARGS…` (e.g. `--instance lte1`) with its JSON log lines collected. */
  static run(args: string[], env: NodeJS.ProcessEnv = {}): DaemonProcess {
    const child = spawn(process.execPath, [cliPath, 'run', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new DaemonProcess(child);
  }

  get output(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n') + this.stderr;
  }

  waitForLog(what: string, predicate: (line: Record<string, unknown>) => boolean, deadlineMs = 15_000) {
    return waitFor(`log line: ${what}`, () => this.lines.find(predicate), deadlineMs);
  }

  /** Sends a signal and resolves with the exit code (null if killed by a signal). */
  async signal(signal: NodeJS.Signals, deadlineMs = 15_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`daemon did not exit within ${deadlineMs} ms of ${signal}`)),
        deadlineMs,
      );
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves with the exit code once the process ends by itself. */
  exited(deadlineMs = 15_000): Promise<number | null> {
    return this.signal('SIGCONT', deadlineMs); // SIGCONT changes nothing for a running process: this only waits.
  }

  /** Ends the process by its PID if it is still running. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}
