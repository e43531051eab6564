import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { installBin } from '../helpers/installed-bin.js';
import { waitFor } from '../helpers/wait.js';

// `m2m-bridge simulate --modems 2` as a user runs it, and its printed guide run line by line as printed: one Command
// to each SIM arrives under that modem's own prefix, a reply published to one instance leaves through its modem only.

// As after `npm install -g`: m2m-bridge on PATH; the guide's lines run outside the checkout, where no npx mqtt resolves.
const installed = installBin();
const children: ChildProcess[] = [];

function start(command: string, args: string[], options: { shell?: boolean } = {}) {
  const child = spawn(command, args, {
    cwd: tmpdir(),
    env: installed.env,
    detached: options.shell,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const done = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, done };
}

/** One of the guide's shell lines as printed, in a process group of its own (ended with the shell's children). */
const shell = (line: string) => start('sh', ['-c', line], { shell: true });

function guideLines(guide: string, prefix: string): string[] {
  return guide
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith(prefix));
}

afterAll(async () => {
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    // The shells lead their own process group; the simulate process gets Ctrl-C as a user would send it.
    if (child.spawnargs[0] === 'sh') process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGINT');
    await gone;
  }
  installed.remove();
});

describe('m2m-bridge simulate --modems 2', () => {
  it('runs two modems of two vendors with two SIMs and two daemons; the guide works as printed', async () => {
    const simulate = start('m2m-bridge', ['simulate', '--modems', '2', '--api-port', '0', '--mqtt-port', '0']);
    const guide = await waitFor(
      'the guide',
      () => (/4\. See the reply[^\n]*\n[^\n]+\n/.test(simulate.output()) ? simulate.output() : ''),
      30_000,
    );
    expect(guide).toMatch(/lte1 +SIM DE\w+ "gateway-lte1", ICCID (\d+), quectel modem/);
    expect(guide).toMatch(/lte2 +SIM DE\w+ "gateway-lte2", ICCID (\d+), simcom modem/);
    const iccid = (name: string) => new RegExp(`"gateway-${name}", ICCID (\\d+)`).exec(guide)![1]!;
    const simSid = (name: string) => new RegExp(`SIM (DE\\w+) "gateway-${name}"`).exec(guide)![1]!;
    expect(iccid('lte1')).not.toBe(iccid('lte2'));

    // 1. One subscription sees both modems (their retained states first, so it is subscribed before step 2).
    const watch = shell(guideLines(guide, 'm2m-bridge mqtt sub')[0]!);
    for (const name of ['lte1', 'lte2'])
      await waitFor(
        `${name} ready on the watcher`,
        () => new RegExp(`^m2m/${name}/modem/state .*"ready"`, 'm').test(watch.output()) || undefined,
        30_000,
      );

    // 2. A Command to each SIM, as printed.
    const creates = guideLines(guide, 'curl -s -u').filter((l) => l.includes('Command='));
    expect(creates).toHaveLength(2);
    for (const line of creates) {
      const create = shell(line);
      expect(await create.done).toBe(0);
      expect(JSON.parse(create.output())).toMatchObject({ status: 'queued', direction: 'to_sim' });
    }
    const seen = (name: string) => {
      const line = watch
        .output()
        .split('\n')
        .find((l) => l.startsWith(`m2m/${name}/command/received `) && l.includes(`reboot ${name}`));
      return line ? (JSON.parse(line.slice(line.indexOf(' ') + 1)) as Record<string, unknown>) : undefined;
    };
    await waitFor('both Commands, each under its prefix', () => (seen('lte1') && seen('lte2')) || undefined, 15_000);
    expect(seen('lte1')).toMatchObject({ body: 'reboot lte1', instance: 'lte1', iccid: iccid('lte1') });
    expect(seen('lte2')).toMatchObject({ body: 'reboot lte2', instance: 'lte2', iccid: iccid('lte2') });
    expect(watch.output()).not.toMatch(/^m2m\/lte1\/command\/received .*reboot lte2/m);
    expect(watch.output()).not.toMatch(/^m2m\/lte2\/command\/received .*reboot lte1/m);

    // 3. The reply to lte2, as printed, and its progress under lte2 only.
    const reply = shell(guideLines(guide, 'm2m-bridge mqtt pub')[0]!);
    expect(await reply.done).toBe(0);
    await waitFor(
      'the reply on m2m/lte2/command/status',
      () => /^m2m\/lte2\/command\/status .*"transaction":"1".*"status":"sent"/m.test(watch.output()) || undefined,
      15_000,
    );
    expect(watch.output()).not.toMatch(/^m2m\/lte1\/command\/status/m);

    // 4. In the cloud it is a from_sim Command of lte2's SIM, and the only one: lte1's modem sent nothing.
    const list = guideLines(guide, 'curl -s -u').find((l) => l.includes('Direction=from_sim'))!;
    const fromSim = await waitFor(
      'the from_sim Command',
      async () => {
        const run = shell(list);
        await run.done;
        return (JSON.parse(run.output()) as { commands: { command: string; sim_sid: string }[] }).commands[0];
      },
      15_000,
      200,
    );
    expect(fromSim).toMatchObject({ command: 'rebooting lte2', sim_sid: simSid('lte2') });
    const everything = shell(list.replace(/&Sim=[^']*/, ''));
    await everything.done;
    const all = (JSON.parse(everything.output()) as { commands: { sim_sid: string }[] }).commands;
    expect(all.map((c) => c.sim_sid)).toEqual([simSid('lte2')]);

    // Each row names its daemon's journal: lte2's has the reply, lte1's none.
    const journal = (name: string) => new RegExp(`^\\s*${name} .*, journal (\\S+)$`, 'm').exec(guide)![1]!;
    const history = (name: string) => shell(`m2m-bridge history --store-path '${journal(name)}' --json`);
    const lte2 = history('lte2');
    expect(await lte2.done).toBe(0);
    expect(lte2.output()).toMatch(
      /"direction":"out".*"body":"rebooting lte2"|"body":"rebooting lte2".*"direction":"out"/,
    );
    const lte1 = history('lte1');
    expect(await lte1.done).toBe(0);
    expect(lte1.output()).not.toContain('rebooting lte2');
  }, 90_000);
});
