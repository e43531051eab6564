import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { startProcessRig } from '../helpers/daemon-rig.js';
import { waitFor } from '../helpers/wait.js';

// The recovery README "A damaged journal" describes, end to end: a journal holding commands not yet published is cut
// (power loss); the daemon refuses it (65); `journal salvage` copies what can be read; the daemon started on the copy
// publishes the salvaged commands.

let root: string;
let damaged: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'm2m-journal-cli-'));
  const whole = join(root, 'whole.db');
  const journal = openSqliteJournal({ path: whole });
  for (let i = 0; i < 200; i++) {
    const payload = JSON.stringify({ id: `sms_${i}`, body: `not yet published ${i}`, from: '2936' });
    journal.recordInbound({ key: `sms_${i}`, kind: 'command', sender: '2936', payload, publish: true });
  }
  journal.close();
  damaged = join(root, 'damaged.db');
  copyFileSync(whole, damaged);
  // The last two pages lost, as when power fails while the file grows.
  truncateSync(damaged, statSync(whole).size - 8192);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('m2m-bridge journal salvage', () => {
  it('salvages a cut journal; the daemon started on the copy publishes the commands it holds', async () => {
    const to = join(root, 'salvaged.db');
    const result = await runCli(['journal', 'salvage', '--from', damaged, '--to', to]);
    expect(result.code, result.stderr).toBe(0);
    const inbox = /^\s+inbox\s+(\d+) rows\s+damaged pages skipped/m.exec(result.stdout);
    expect(inbox, result.stdout).not.toBeNull();
    const copied = Number(inbox![1]);
    expect(copied).toBeGreaterThan(0);

    const rig = await startProcessRig({ base: 'salv', storePath: to, dirPrefix: 'm2m-journal-cli-' });
    const { app, daemon } = rig;
    try {
      await waitFor('the salvaged commands on MQTT', () => app.on('salv/command/received').length >= copied, 20_000);
      const bodies = app.on('salv/command/received').map((m) => (JSON.parse(m.text) as { body: string }).body);
      expect(new Set(bodies).size).toBe(copied);
      for (const body of bodies) expect(body).toMatch(/^not yet published \d+$/);
      expect(await daemon.signal('SIGTERM')).toBe(0);
    } finally {
      await rig.close();
    }
  });

  it('--json prints the report; an unreadable or missing source exits 1; bad usage exits 2', async () => {
    const json = await runCli(['journal', 'salvage', '--from', damaged, '--to', join(root, 'again.db'), '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ from: damaged, schema_version: expect.any(Number) });
    const missing = await runCli(['journal', 'salvage', '--from', join(root, 'none.db'), '--to', join(root, 'n.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    expect((await runCli(['journal', 'salvage', '--from', damaged])).code).toBe(2);
    expect((await runCli(['journal'])).code).toBe(2);
  });
});
