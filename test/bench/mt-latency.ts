import { waitFor } from '../helpers/wait.js';
import type { DaemonRig } from './daemon-rig.js';
import { dialogueBytes, wireMs } from './wire.js';

/**
 * MT commands one at a time (so each latency is the pipeline's, not a queue's): from injectSms at the simulator to the
 * MQTT subscriber, and the wire time of the dialogue the message caused (+CMTI, AT+CMGR and its answer, AT+CMGD and
 * OK), counted from the simulator's AT log once the message was deleted from the SIM.
 */
export async function measureMtLatency(r: DaemonRig, count: number): Promise<{ latencies: number[]; wires: number[] }> {
  const latencies: number[] = [];
  const wires: number[] = [];
  let received = -1;
  let receivedAt = 0;
  r.commandListener = (command, at) => {
    received = Number(/^mt (\d+) /.exec(command.body)?.[1] ?? -1);
    receivedAt = at;
  };
  for (let i = 0; i < count; i++) {
    const seq = r.sim.modem.log().at(-1)?.seq ?? 0;
    const t0 = performance.now();
    r.sim.modem.injectSms({ from: '2936', text: `mt ${i} set interval 60; report temperature` });
    await waitFor(`command ${i} on MQTT`, () => received === i, 20_000, 1);
    latencies.push(receivedAt - t0);
    await waitFor(`command ${i} deleted`, () => r.sim.modem.storage().every((m) => m.used === 0), 20_000, 1);
    const bytes = dialogueBytes(r.sim.modem.log(seq));
    wires.push(wireMs(bytes.toModem + bytes.fromModem));
  }
  return { latencies, wires };
}
