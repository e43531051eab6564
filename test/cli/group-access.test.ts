import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.js';
import { type InProcessRig, startInProcessRig } from '../helpers/daemon-rig.js';
import { type ReadableCopy, readableCopy } from '../helpers/readable-copy.js';
import { waitFor } from '../helpers/wait.js';

/**
 * README's install section: technicians in the `m2m-bridge` group run `config check` and `status` as themselves
 * against /etc/m2m-bridge/config.yaml and its secret files, 0640 root:<group>. As root the test builds that layout in
 * a temporary directory with a group id of its own and runs the built binary as `nobody` with that group as a
 * supplementary group (setpriv, as a technician's login gets it from usermod -aG), and as `nobody` without it. Not as
 * root, it runs as the current user with the files 0640 in the user's own group: what can be checked without root.
 */

const NOBODY = 65534;
/** A group id no account has: the test's stand-in for `m2m-bridge`. */
const TECHNICIANS = 64_991;
const root = process.getuid?.() === 0;
const base = 'gw-group';

let rig: InProcessRig;
let etc: string;
let build: ReadableCopy | undefined;

beforeAll(async () => {
  rig = await startInProcessRig({ base });
  await waitFor('modem ready', () => rig.app.on(`${base}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);
  const top = mkdtempSync(join(tmpdir(), 'm2m-group-'));
  chmodSync(top, 0o755);
  // `sudo install -d -m 0755 /etc/m2m-bridge`, then the files 0640 root:m2m-bridge (README steps 5).
  etc = join(top, 'etc m2m-bridge');
  mkdirSync(etc, { mode: 0o755 });
  chmodSync(etc, 0o755);
  const password = join(etc, 'mqtt-password');
  const config = join(etc, 'config.yaml');
  writeFileSync(password, 'technician-secret\n');
  writeFileSync(
    config,
    [
      'serial:',
      `  path: ${rig.sim.path}`,
      'mqtt:',
      `  url: ${rig.broker.url}`,
      `  base_topic: ${base}`,
      '  username: gateway',
      `  password_file: ${password}`,
      'store:',
      `  path: ${rig.storePath}`,
      '',
    ].join('\n'),
  );
  const group = root ? TECHNICIANS : (process.getgid?.() ?? 0);
  for (const file of [config, password]) {
    if (root) chownSync(file, 0, group);
    chmodSync(file, 0o640);
  }
  // nobody may not enter the checkout (a 0700 home directory): it runs a copy of the build it can read.
  build = root ? readableCopy() : undefined;
}, 40_000);

afterAll(async () => {
  build?.remove();
  await rig?.close();
  if (etc) rmSync(join(etc, '..'), { recursive: true, force: true });
});

/** The built binary as a technician: nobody with (or without) the group when root, else this user. */
function asTechnician(args: string[], inGroup = true): Promise<{ code: number; stdout: string; stderr: string }> {
  const groups = inGroup ? [`--groups=${TECHNICIANS}`] : ['--clear-groups'];
  const user = root ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, ...groups] : [];
  const binary = build ? build.path('dist/cli.js') : cliPath;
  const [file, ...rest] = [...user, process.execPath, binary, ...args];
  return new Promise((resolve) => {
    execFile(file!, rest, { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('a technician in the m2m-bridge group, against a 0640 root:m2m-bridge config', () => {
  it('runs config check', async () => {
    const result = await asTechnician(['config', 'check', '--config', join(etc, 'config.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`OK: ${join(etc, 'config.yaml')}`);
  });

  it('runs status: the config and the MQTT password file are read, the daemon answers', async () => {
    const result = await asTechnician(['status', '--config', join(etc, 'config.yaml'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data.modem.status).toBe('ready');
    expect(data.paths.serial_port).toBe(rig.sim.path);
  });

  // Not as root the owner's own 0000 stands in for "not in the group": the same refusal, without the group's name.
  const unreadable = root ? 0o600 : 0o000;
  const refusal = (file: string) =>
    new RegExp(
      `${file} is not readable by this user` +
        (root && file === 'config\\.yaml' ? ` \\(mode 0640, group ${TECHNICIANS}\\): join the group` : ''),
    );

  it('a secret file left unreadable to the group: status names it, and exits 1', async () => {
    const password = join(etc, 'mqtt-password');
    chmodSync(password, unreadable);
    try {
      const result = await asTechnician(['status', '--config', join(etc, 'config.yaml')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(refusal('mqtt-password'));
    } finally {
      chmodSync(password, 0o640);
    }
  });

  it('outside the group: config check and status say which group to join, and exit 1', async () => {
    const config = join(etc, 'config.yaml');
    if (!root) chmodSync(config, unreadable);
    try {
      for (const args of [
        ['config', 'check', '--config', config],
        ['status', '--config', config],
      ]) {
        const result = await asTechnician(args, false);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(refusal('config\\.yaml'));
      }
    } finally {
      chmodSync(config, 0o640);
    }
  });
});
