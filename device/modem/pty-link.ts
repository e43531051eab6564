import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, lstatSync, openSync, readlinkSync, unlinkSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { lineWriter } from './pacer.js';

export class PtyLinkError extends Error {
  override name = 'PtyLinkError';
}

/**
 * A pseudo-terminal with a symlink at `link` that any serial program opens like `/dev/ttyUSB2`. Node cannot open a
 * pty pair itself, so socat creates it (`PTY,link=...,rawer,echo=0`) and relays it to our stdio; we speak AT over
 * that pipe. We also hold the slave side open: a pty whose last slave fd closes hangs up the master and socat would
 * exit, but real serial programs (gammu, serialport) open and close the device repeatedly.
 */
export class PtyLink {
  private child: ChildProcess | undefined;
  private heldFd: number | undefined;
  private modemStream: Duplex | undefined;
  private writer: ReturnType<typeof lineWriter> | undefined;
  ptyPath = '';

  constructor(
    readonly link: string,
    private readonly connect: () => Duplex,
    private readonly baud?: number,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(timeoutMs = 5000): Promise<void> {
    if (this.child) return;
    claimLink(this.link);
    const child = spawn('socat', ['-d', '-d', `PTY,link=${this.link},rawer,echo=0`, 'STDIO'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.ptyPath = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      let settled = false;
      const settle = (error: Error | undefined, path = '') => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onError);
        if (error) {
          child.kill('SIGTERM');
          this.child = undefined;
          reject(error);
        } else resolve(path);
      };
      const timer = setTimeout(
        () => settle(new PtyLinkError(`socat did not create a pty within ${timeoutMs} ms: ${stderr}`)),
        timeoutMs,
      );
      const onError = (error: Error) =>
        settle(new PtyLinkError(`cannot start socat (is it installed?): ${error.message}`));
      const onExit = (code: number | null) =>
        settle(new PtyLinkError(`socat exited (${code}) before the pty was ready: ${stderr}`));
      child.on('error', onError);
      child.on('exit', onExit);
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        if (settled) return;
        stderr += chunk;
        // socat logs the pty name, creates the link, then starts its transfer loop: wait for the last.
        const match = /PTY is (\/dev\/\S+)/.exec(stderr);
        if (match && stderr.includes('starting data transfer loop')) settle(undefined, match[1]!);
      });
    });
    this.heldFd = openSync(this.ptyPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    const stream = this.connect();
    this.modemStream = stream;
    const writer = lineWriter(this.baud, (data) => child.stdin!.write(data));
    this.writer = writer;
    stream.on('data', (data: Buffer) => writer.write(data));
    child.stdout!.on('data', (data: Buffer) => stream.write(data));
    child.stdin!.on('error', () => {});
    child.on('exit', () => {
      if (this.child === child) this.cleanup();
    });
  }

  /** Ends socat (by its PID): the device path disappears and an open client sees the port vanish. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    this.child = undefined;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    this.cleanup();
  }

  private cleanup(): void {
    this.child = undefined;
    this.writer?.close();
    this.writer = undefined;
    this.modemStream?.destroy();
    this.modemStream = undefined;
    if (this.heldFd !== undefined) {
      try {
        closeSync(this.heldFd);
      } catch {
        // already closed with the pty
      }
      this.heldFd = undefined;
    }
    removeOwnLink(this.link, this.ptyPath);
  }
}

/**
 * Makes `link` free for a new pty: removes a stale symlink left by a simulator that died (its pty is gone with its
 * socat), and refuses one whose pty still exists — another simulator on this machine owns it, and taking the name
 * would silently move a running daemon's modem under it. Never deletes a regular file or directory.
 */
function claimLink(link: string): void {
  let target: string;
  try {
    if (!lstatSync(link).isSymbolicLink())
      throw new PtyLinkError(`${link} exists and is not a symlink; refusing to replace it`);
    target = readlinkSync(link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (existsSync(target))
    throw new PtyLinkError(
      `${link} is in use: it points at ${target}, a pty that is still open (another modem-sim?); stop that ` +
        'simulator or choose another --link',
    );
  unlinkSync(link);
}

/** Removes our own link when the pty goes away, unless something else has put its link there since. */
function removeOwnLink(link: string, ptyPath: string): void {
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === ptyPath) unlinkSync(link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
