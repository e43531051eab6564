import { basename } from 'node:path';
import type { Simulation } from './simulation.js';

/**
 * How the guide names this program: `m2m-bridge` when it was started by that name (an installed package's bin on
 * PATH), otherwise `node <the script>` (a checkout's `node dist/cli.js simulate`), so every line runs as printed.
 * The MQTT steps use the program's own `mqtt sub`/`mqtt pub` (src/cli/mqtt.ts): `npx mqtt` would fetch from the
 * network, and a global install does not reliably put the mqtt package's CLI on PATH.
 */
export function selfInvocation(script: string): string {
  return basename(script) === 'm2m-bridge' ? 'm2m-bridge' : `node ${shellWord(script)}`;
}

/** A path as one sh word: as it is when it needs no quoting, else in single quotes (a checkout path with spaces). */
export function shellWord(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function mqttFlags(sim: Simulation): string {
  return `--mqtt-url ${sim.mqttUrl}`;
}

/** The guide `m2m-bridge simulate` prints; test/cli/simulate-options.test.ts runs every command line in it as printed. */
export function oneModemGuide(sim: Simulation, baseTopic: string, self: string): string {
  const api = sim.emulator.wirelessBaseUrl;
  const superSim = sim.emulator.superSimBaseUrl;
  const auth = `${sim.emulator.accountSid}:${sim.emulator.authToken}`;
  const mqtt = mqttFlags(sim);
  return `
m2m-bridge simulate is running. Ctrl-C stops everything.

  Wireless API emulator  ${api}   (Account SID ${sim.emulator.accountSid}, Auth Token ${sim.emulator.authToken})
  SIM                    ${sim.simSid} "gateway-1", ICCID ${sim.iccid}
  Simulated modem        ${sim.modem.path}   (control API ${sim.modem.controlUrl ?? 'off'})
  MQTT broker            ${sim.mqttUrl}${sim.embeddedBroker ? ' (embedded)' : ''}, topics under ${baseTopic}/
  Journal                ${sim.journalPath}   (removed when the demo stops)

Try it, in another terminal:

  1. Watch what the bridge publishes:
       ${self} mqtt sub ${mqtt} -t '${baseTopic}/#' -v

  2. Send a Command to the SIM through the API, as the cloud would:
       curl -s -u ${auth} ${api}/Commands --data-urlencode Sim=gateway-1 --data-urlencode Command='reboot now'
     It arrives on ${baseTopic}/command/received.

  3. Reply from the device side:
       ${self} mqtt pub ${mqtt} -t '${baseTopic}/command/send' -q 1 -m '{"body":"rebooting","transaction":"1"}'
     Its progress appears on ${baseTopic}/command/status.

  4. See the reply arrive in the cloud as a from_sim Command:
       curl -s -u ${auth} '${api}/Commands?Direction=from_sim'

  5. Send a Super SIM IP Command (one UDP datagram over the SIM's data session) to the gateway:
       curl -s -u ${auth} ${superSim}/IpCommands --data-urlencode Sim=gateway-1 --data-urlencode Payload='open valve' --data-urlencode DevicePort=${sim.ipDevicePort}
     It arrives on ${baseTopic}/command/received with "transport":"ip".

  6. Reply over IP, and see the cloud record it as a from_sim IP Command:
       ${self} mqtt pub ${mqtt} -t '${baseTopic}/command/send' -q 1 -m '{"transport":"ip","body":"valve open","transaction":"2"}'
       curl -s -u ${auth} '${superSim}/IpCommands?Direction=from_sim'

  7. See what the daemon journaled, newest first:
       ${self} history --store-path ${shellWord(sim.journalPath)}
`;
}

/**
 * The guide `m2m-bridge simulate --modems N` prints: one Command to each SIM, arriving under that modem's own prefix
 * with its instance name and ICCID, and a reply that goes out through one modem only. Every command line in it is
 * run as printed by test/cli/simulate-modems.test.ts.
 */
export function severalModemsGuide(sim: Simulation, baseTopic: string, self: string): string {
  const api = sim.emulator.wirelessBaseUrl;
  const auth = `${sim.emulator.accountSid}:${sim.emulator.authToken}`;
  const mqtt = mqttFlags(sim);
  const rows = sim.instances
    .map(
      (i) =>
        `  ${String(i.instance).padEnd(6)} SIM ${i.simSid} "${i.simName}", ICCID ${i.iccid}, ${i.profile} modem ${i.modem.path}, topics under ${i.baseTopic}/, journal ${i.journalPath}`,
    )
    .join('\n');
  const commands = sim.instances
    .map(
      (i) =>
        `       curl -s -u ${auth} ${api}/Commands --data-urlencode Sim=${i.simName} --data-urlencode Command='reboot ${i.instance}'`,
    )
    .join('\n');
  const last = sim.instances.at(-1)!;
  return `
m2m-bridge simulate is running ${sim.instances.length} modems, one daemon each. Ctrl-C stops everything.

  Wireless API emulator  ${api}   (Account SID ${sim.emulator.accountSid}, Auth Token ${sim.emulator.authToken})
  MQTT broker            ${sim.mqttUrl}${sim.embeddedBroker ? ' (embedded)' : ''}

${rows}

Try it, in another terminal:

  1. Watch what the daemons publish, every modem under its own prefix:
       ${self} mqtt sub ${mqtt} -t '${baseTopic}/#' -v
     (a program that wants every modem's Commands subscribes to '${baseTopic}/+/command/received')

  2. Send a Command to each SIM through the API, as the cloud would:
${commands}
     Each arrives under its own modem's prefix (${sim.instances.map((i) => `${i.baseTopic}/command/received`).join(', ')}),
     with "instance" and "iccid" saying which modem and SIM it came from.

  3. Reply through ${last.instance}'s modem only:
       ${self} mqtt pub ${mqtt} -t '${last.baseTopic}/command/send' -q 1 -m '{"body":"rebooting ${last.instance}","transaction":"1"}'
     Its progress appears on ${last.baseTopic}/command/status.

  4. See the reply arrive in the cloud as a from_sim Command of SIM ${last.simName} (sim_sid ${last.simSid}):
       curl -s -u ${auth} '${api}/Commands?Direction=from_sim&Sim=${last.simName}'
`;
}
