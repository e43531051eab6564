import type { Simulation } from './simulation.js';

/**
 * The guide `m2m-bridge simulate --modems N` prints: one Command to each SIM, arriving under that modem's own prefix
 * with its instance name and ICCID, and a reply that goes out through one modem only. Every command line in it is
 * run as printed by test/cli/simulate-modems.test.ts.
 */
export function severalModemsGuide(sim: Simulation, baseTopic: string): string {
  const api = sim.emulator.wirelessBaseUrl;
  const auth = `${sim.emulator.accountSid}:${sim.emulator.authToken}`;
  const broker = new URL(sim.mqttUrl);
  const mqttArgs = `-h ${broker.hostname} -p ${broker.port || 1883}`;
  const rows = sim.instances
    .map(
      (i) =>
        `  ${String(i.instance).padEnd(6)} SIM ${i.simSid} "${i.simName}", ICCID ${i.iccid}, ${i.profile} modem ${i.modem.path}, topics under ${i.baseTopic}/`,
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
       npx mqtt sub ${mqttArgs} -t '${baseTopic}/#' -v
     (a program that wants every modem's Commands subscribes to '${baseTopic}/+/command/received')

  2. Send a Command to each SIM through the API, as the cloud would:
${commands}
     Each arrives under its own modem's prefix (${sim.instances.map((i) => `${i.baseTopic}/command/received`).join(', ')}),
     with "instance" and "iccid" saying which modem and SIM it came from.

  3. Reply through ${last.instance}'s modem only:
       npx mqtt pub ${mqttArgs} -t '${last.baseTopic}/command/send' -q 1 -m '{"body":"rebooting ${last.instance}","transaction":"1"}'
     Its progress appears on ${last.baseTopic}/command/status.

  4. See the reply arrive in the cloud as a from_sim Command of SIM ${last.simName} (sim_sid ${last.simSid}):
       curl -s -u ${auth} '${api}/Commands?Direction=from_sim&Sim=${last.simName}'
`;
}
