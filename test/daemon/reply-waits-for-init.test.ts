import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';
import { type InProcessRig, startInProcessRig } from '../helpers/daemon-rig.js';
import { waitFor } from '../helpers/wait.js';

// README: "replies wait in the journal until the modem is ready". A modem whose initialisation failed (here: the SIM
// is not inserted) waits for its next SIM recheck; a reply published then must not spend its attempts on sends that
// cannot even start, and must go out once the modem initialises.

let rig: InProcessRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a reply published while the modem failed its initialisation', () => {
  it('waits (no attempt spent) and is sent once the SIM is back', async () => {
    rig = await startInProcessRig({
      base: 'rw',
      // Far longer than the test needs: the test ends the fault itself once it saw enough failed inits.
      beforeDaemon: (sim) => sim.modem.setFaults({ simNotReady: { code: 10, forMs: 120_000 } }),
      // Two attempts one second apart: spent within one recheck pause (2.5 s) if the sender took the pause for a
      // modem able to send.
      config: { commands: { send_max_attempts: 2, send_retry_initial_seconds: 1, send_retry_max_seconds: 1 } },
      modemTiming: { simRecheckMinMs: 2500, simRecheckMaxMs: 2500, statusIntervalMs: 1000 },
    });
    const { app, sim } = rig;
    const cpinQueries = () =>
      sim.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CPIN?')).length;

    await app.waitFor(
      'modem/state naming the missing SIM',
      (m) => m.topic === 'rw/modem/state' && /SIM/.test(JSON.parse(m.text).reason ?? ''),
      20_000,
    );
    const before = cpinQueries();
    await app.client.publishAsync('rw/command/send', JSON.stringify({ body: 'waits', transaction: 't1' }), { qos: 1 });
    await app.waitFor('queued', (m) => m.topic === 'rw/command/status' && JSON.parse(m.text).status === 'queued');
    // Two more rechecks (each after a 2.5 s pause): longer than the two attempts would take.
    await waitFor('two more SIM rechecks', () => cpinQueries() >= before + 2, 20_000);
    const statuses = () => app.on('rw/command/status').map((m) => JSON.parse(m.text).status as string);
    expect(statuses()).toEqual(['queued']);

    sim.modem.setFaults({ simNotReady: null });
    await app.waitFor('sent', (m) => m.topic === 'rw/command/status' && JSON.parse(m.text).status === 'sent', 20_000);
    expect(statuses().filter((status) => status === 'failed')).toEqual([]);
    expect(sim.modem.sent().map((sms) => sms.text)).toEqual(['waits']);
    await rig.daemon.stop();
    const journal = openSqliteJournal({ path: rig.storePath, readonly: true });
    try {
      const reply = journal.history({ direction: 'outbound', limit: 10 })[0]?.entry as { attempts: number };
      expect(reply.attempts).toBe(1);
    } finally {
      journal.close();
    }
  });
});
