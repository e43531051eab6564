import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessRig, startInProcessRig } from '../helpers/daemon-rig.js';
import { waitFor } from '../helpers/wait.js';

// README, "A quiet idle modem": registration arrives as +CREG/+CEREG URCs (AT+CREG=2) and a Quectel's signal as
// +QIND: "csq" (AT+QINDCFG="csq",1), so modem/state follows the network without a poll. The status poll is set to an
// hour here: anything that changes modem/state during the test came by URC.

let rig: InProcessRig;

beforeAll(async () => {
  rig = await startInProcessRig({
    base: 'urc',
    sim: { profile: 'quectel' },
    modemTiming: { statusIntervalMs: 3_600_000 },
  });
});

afterAll(async () => {
  await rig?.close();
});

const states = () => rig.app.on('urc/modem/state').map((m) => JSON.parse(m.text));
const commandsSince = (seq: number) =>
  rig.sim.modem
    .log(seq)
    .filter((e) => e.direction === 'in')
    .map((e) => e.text);

describe('modem/state from URCs, without status polls', () => {
  it('the network going and coming back shows in modem/state with no AT+CREG?, AT+COPS? or AT+CSQ', async () => {
    await waitFor('modem ready', () => states().some((s) => s.status === 'ready'), 20_000);
    const init = commandsSince(0);
    expect(init).toContain('AT+CREG=2');
    expect(init).toContain('AT+QINDCFG="csq",1');
    const mark = rig.sim.modem.log().at(-1)?.seq ?? 0;

    rig.sim.modem.setFaults({ noNetwork: true });
    await waitFor(
      'modem/state: degraded, searching, no signal',
      () => {
        const last = states().at(-1);
        return last?.status === 'degraded' && last.registration === 'searching' && last.signal.rssi_dbm === null;
      },
      5_000,
    );
    rig.sim.modem.setFaults({ noNetwork: false });
    await waitFor(
      'modem/state: ready again with a signal',
      () => {
        const last = states().at(-1);
        return last?.status === 'ready' && last.registration !== 'searching' && last.signal.rssi_dbm !== null;
      },
      5_000,
    );
    const polled = commandsSince(mark).filter((c) => /^AT\+(CREG\?|CEREG\?|COPS\?|CSQ)/.test(c));
    expect(polled).toEqual([]);
  });
});
