import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';

let rig: ProcessRig | undefined;

afterAll(async () => {
  await rig?.close();
});

/** A journal as a gateway would have it after weeks: old finished history, one old reply never sent, recent history. */
function fillWithWeeksOfHistory(path: string): { stuckId: string } {
  const day = 86_400_000;
  let time = Date.now() - 40 * day;
  const journal = openSqliteJournal({ path, now: () => time });
  for (let i = 0; i < 20; i++) {
    journal.recordInbound({
      key: `old-${i}`,
      kind: 'command',
      sender: '2936',
      payload: '{"body":"old"}',
      publish: true,
    });
    journal.markPublished(`old-${i}`);
  }
  const stuck = journal.enqueueReply({
    transaction: 'stuck',
    destination: '2936',
    mode: 'text',
    body: 'x',
    parts: 1,
  });
  journal.markSending(stuck.entry.id); // interrupted mid-send: recovered as failed, but only now, so it is kept
  time = Date.now() - 2 * day;
  journal.recordInbound({
    key: 'recent',
    kind: 'command',
    sender: '2936',
    payload: '{"body":"recent"}',
    publish: true,
  });
  journal.markPublished('recent');
  journal.close();
  return { stuckId: stuck.entry.id };
}

describe('m2m-bridge run: journal retention', () => {
  it('prunes history older than store.retention_days at start, keeping recent history and pending replies', async () => {
    let stuckId = '';
    rig = await startProcessRig({
      base: 'gw-retention',
      sim: { profile: 'generic' },
      config: { store: { retention_days: 30 }, log: { level: 'debug' } },
      dirPrefix: 'm2m-retention-daemon-',
      beforeDaemon: ({ storePath }) => {
        ({ stuckId } = fillWithWeeksOfHistory(storePath));
      },
    });
    const { daemon } = rig;
    const line = await daemon.waitForLog('retention pass', (l) => l.msg === 'journal retention', 20_000);
    expect(line.removed).toMatchObject({ inbox: 20 });
    expect(line.usage).toMatchObject({ incremental_vacuum: true });

    // Read beside the running daemon.
    const result = await runCli(['history', '--store-path', rig.storePath, '--json']);
    expect(result.code).toBe(0);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    expect(ids).toEqual(['recent', stuckId]);
    expect(await daemon.signal('SIGTERM')).toBe(0);
  }, 40_000);
});
