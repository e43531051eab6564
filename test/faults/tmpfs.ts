import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs mounted for one test: a real file system that really runs out of space (ENOSPC from the kernel), so
 * the journal's disk-full path is exercised as on a full SD card — not through a size cap the daemon has no config
 * key for. Mounting needs root (CI runs as root: .ci/run installs packages with apt-get).
 */
export class SmallDisk {
  private constructor(readonly dir: string) {}

  static mount(sizeBytes: number): SmallDisk {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-smalldisk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (error) {
      rmdirSync(dir);
      throw new Error(
        `cannot mount a ${sizeBytes}-byte tmpfs at ${dir} (needs root, as in CI): ${(error as { stderr?: Buffer }).stderr?.toString() ?? error}`,
      );
    }
    return new SmallDisk(dir);
  }

  /** Fills the remaining space with a file (until the kernel says ENOSPC); returns the bytes it took. */
  fill(): number {
    const fd = openSync(join(this.dir, 'filler'), 'w');
    const chunk = Buffer.alloc(4096, 0x55);
    let written = 0;
    try {
      for (;;) written += writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
    return written;
  }

  /** Space comes back (the operator cleaned up). */
  free(): void {
    rmSync(join(this.dir, 'filler'), { force: true });
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    rmdirSync(this.dir);
  }
}
