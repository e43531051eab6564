import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian puts the broker in /usr/sbin, which is not on every user's PATH. */
function mosquittoBinary(): string {
  for (const candidate of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(candidate)) return candidate;
  return 'mosquitto';
}

/** A port the kernel just handed out on 127.0.0.1 (closed again, so a child process can bind it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(what: string, deadlineMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A real Mosquitto broker on a free loopback port, one per test file. `stop()` and `start()` can be called again to
 * take the broker away and bring it back on the same port (persistence on, so persistent sessions survive, as on a
 * gateway whose broker restarts).
 */
export class MosquittoBroker {
  readonly dir = mkdtempSync(join(tmpdir(), 'm2m-mosquitto-'));
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly port: number,
    extraConfig: readonly string[] = [],
  ) {
    writeFileSync(
      join(this.dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${this.dir}/`,
        'autosave_interval 1',
        // As root, Mosquitto drops to the `mosquitto` user and then cannot write its database into our temp dir.
        ...(process.getuid?.() === 0 ? ['user root'] : []),
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        // Extra lines, e.g. a bridge section (test/fleet): they come last, after the listener above.
        ...extraConfig,
        '',
      ].join('\n'),
    );
  }

  /** `extraConfig`: more mosquitto.conf lines (a bridge section …), appended to the standard ones. */
  static async start(options: { extraConfig?: readonly string[] } = {}): Promise<MosquittoBroker> {
    const broker = new MosquittoBroker(await freePort(), options.extraConfig);
    await broker.start();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(mosquittoBinary(), ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output = (this.output + chunk).slice(-4000);
    });
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(false)));
    await waitUntil(`mosquitto on port ${this.port}`, 10_000, async () => {
      if (child.exitCode !== null) throw new Error(`mosquitto exited: ${this.output}`);
      return Promise.race([canConnect(this.port), exited]);
    });
  }

  /** Stops the broker by its PID and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
