import { describe, expect, it } from 'vitest';
import { MODEM_VIEW_STATUSES } from '../../src/bridge/modem-view.js';
import { MODEM_STATES } from '../../src/modem/types.js';

// The bridge may not import the driver (ARCHITECTURE.md, rooms), so it keeps its own list of the states modem/state
// shows (and Home Assistant's sensor offers as options). It must be the driver's list: a state added to one and not
// the other would be published but missing from the sensor, or offered but never published.
describe('modem/state statuses', () => {
  it("are the driver's states, in the same order", () => {
    expect([...MODEM_VIEW_STATUSES]).toEqual([...MODEM_STATES]);
  });
});
