import { waitFor } from '../helpers/wait.js';
import type { DaemonRig } from './daemon-rig.js';
import { dialogueBytes, wireMs } from './wire.js';

/**
 * MT commands one at a time (so each latency is the pipeline's, not a queue's): from injectSms at the simulator to the
 * MQTT subscriber, and the wire time of the dialogue the message caused (+CMTI, AT+CMGR and its answer, AT+CMGD and
 * OK), counted from the simulator's AT log once the message was deleted from the SIM.
 *
 * `lines` splits each latency: the line time is the wire time of the bytes that must cross before the daemon can
 * publish (+CMTI, AT+CMGR, its answer up to OK — everything before AT+CMGD, which the daemon sends only after the
 * journal commit, beside the publish); the daemon time is the rest: reacting to +CMTI, parsing, decoding, the journal
 * commit (fsync), the publish and the broker's hop to the subscriber.
 */
export interface MtLatencies {
  latencies: number[];
  wires: number[];
  /** Per message: wire time of the bytes before AT+CMGD (the line's share of the latency). */
  lines: number[];
  /** Per message: latency − line time. */
  daemon: number[];
}

/** A full-length command (160 GSM-7 characters, the Programmable Wireless limit), numbered so each is unique. */
function commandText(i: number): string {
  return `mt ${i} set interval 60; report temperature, humidity and battery every minute`.padEnd(160, ' .');
}

export async function measureMtLatency(r: DaemonRig, count: number): Promise<MtLatencies> {
  const latencies: number[] = [];
  const wires: number[] = [];
  const lines: number[] = [];
  const daemon: number[] = [];
  let received = -1;
  let receivedAt = 0;
  r.commandListener = (command, at) => {
    received = Number(/^mt (\d+) /.exec(command.body)?.[1] ?? -1);
    receivedAt = at;
  };
  for (let i = 0; i < count; i++) {
    const seq = r.sim.modem.log().at(-1)?.seq ?? 0;
    const t0 = performance.now();
    r.sim.modem.injectSms({ from: '2936', text: commandText(i) });
    await waitFor(`command ${i} on MQTT`, () => received === i, 20_000, 1);
    latencies.push(receivedAt - t0);
    await waitFor(`command ${i} deleted`, () => r.sim.modem.storage().every((m) => m.used === 0), 20_000, 1);
    const log = r.sim.modem.log(seq);
    const bytes = dialogueBytes(log);
    wires.push(wireMs(bytes.toModem + bytes.fromModem));
    const deleteAt = log.findIndex((e) => e.direction === 'in' && /^AT\+CMGD/i.test(e.text));
    const before = dialogueBytes(deleteAt < 0 ? log : log.slice(0, deleteAt));
    const line = wireMs(before.toModem + before.fromModem);
    lines.push(line);
    daemon.push(latencies.at(-1)! - line);
  }
  return { latencies, wires, lines, daemon };
}
