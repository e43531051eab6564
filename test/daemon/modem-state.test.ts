import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessRig, startInProcessRig } from '../helpers/daemon-rig.js';
import { waitFor } from '../helpers/wait.js';

// README, "The MQTT contract": the retained `modem/state` goes out "on change, at most once a second". The driver reports after
// every status poll (60 s in production; 250 ms here, which only the in-process daemon can set), changed or not.

let rig: InProcessRig;

beforeAll(async () => {
  rig = await startInProcessRig({ base: 'ms', modemTiming: { statusIntervalMs: 250 } });
});

afterAll(async () => {
  await rig?.close();
});

const states = () => rig.app.on('ms/modem/state').map((m) => JSON.parse(m.text));
/** Status polls so far: each one asks for the registration and the signal. */
const polls = () =>
  rig.sim.modem.log().filter((entry) => entry.direction === 'in' && entry.text.startsWith('AT+CSQ')).length;

describe('modem/state from the running daemon', () => {
  it('is published when the modem state changes, not after every status poll that changed nothing', async () => {
    await waitFor('modem ready', () => states().some((s) => s.status === 'ready'), 20_000);
    // Let the first polls after init settle (registration and storage are read then), then count.
    await waitFor('two status polls', () => polls() >= 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const published = states().length;
    const pollsBefore = polls();
    await waitFor('four more status polls', () => polls() >= pollsBefore + 4, 10_000);
    // Nothing is due: a publish held back by the 1 s rate limit would have gone out by now.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(states()).toHaveLength(published);

    // A real change goes out: the network goes away (seen by a +CREG URC or the next poll).
    const last = states().at(-1);
    expect(last).toMatchObject({ status: 'ready', registration: expect.any(String), signal: expect.any(Object) });
    rig.sim.modem.setFaults({ noNetwork: true });
    await waitFor(
      'a changed modem/state',
      () => states().length > published && states().at(-1).registration !== last.registration,
      10_000,
    );
    expect(states().at(-1).updated_at).not.toBe(last.updated_at);
  });
});
