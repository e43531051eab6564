import { createLogger } from '../util/logger.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { oneModemGuide, selfInvocation, severalModemsGuide } from './simulate-guide.js';
import { type SimProfile, startSimulation } from './simulation.js';
import { packageVersion } from './version.js';

const usage = `Usage: m2m-bridge simulate [options]

The zero-hardware demo: a simulated modem with a SIM on a pty, a local emulator of the Wireless API, an MQTT broker
and the bridge daemon itself, all on 127.0.0.1. Ctrl-C stops everything.

Options:
  --api-port N         Wireless API emulator port (default 8080; 0 picks a free one)
  --account-sid SID    the emulator's Account SID (default AC00000000000000000000000000000000)
  --auth-token TOKEN   the emulator's Auth Token (default emulator-auth-token)
  --mqtt-port N        embedded MQTT broker port (default 1883; 0 picks a free one)
  --mqtt-url URL       use this broker instead of the embedded one (MQTT 5)
  --base-topic T       MQTT base topic (default m2m)
  --profile NAME       simulated modem: generic, quectel, simcom, ublox, huawei (default quectel)
  --modems N           N modems (1..4) with their own SIMs, one daemon each (instances lte1 … under
                       <base-topic>/lte1 …), as on a gateway with several modems; the first is --profile, the others
                       simcom, ublox, huawei unless --profiles A,B,… says otherwise
  --profiles LIST      the dialects of the modems after the first, comma-separated
  --log-level LEVEL    the daemon's log level (default warn)
  --json               print the addresses as one JSON line instead of the guide

The guide names the journal of each daemon: m2m-bridge history --store-path PATH lists what it recorded (the demo's
files are removed when it stops).
`;

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--${flag}: expected a port 0..65535, got "${value}"`);
  return n;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      'api-port': { type: 'string' },
      'account-sid': { type: 'string' },
      'auth-token': { type: 'string' },
      'mqtt-port': { type: 'string' },
      'mqtt-url': { type: 'string' },
      'base-topic': { type: 'string' },
      profile: { type: 'string' },
      modems: { type: 'string' },
      profiles: { type: 'string' },
      'log-level': { type: 'string' },
      json: { type: 'boolean' },
    },
    false,
  );
  const profile = values.profile ?? 'quectel';
  const known = ['generic', 'quectel', 'simcom', 'ublox', 'huawei'];
  if (!known.includes(profile))
    throw new UsageError(`--profile: expected generic, quectel, simcom, ublox or huawei, got "${profile}"`);
  const modems = values.modems === undefined ? 1 : Number(values.modems);
  if (!Number.isInteger(modems) || modems < 1 || modems > 4)
    throw new UsageError(`--modems: expected 1 to 4, got "${values.modems}"`);
  const profiles = values.profiles?.split(',').map((p) => p.trim());
  const unknown = profiles?.find((p) => !known.includes(p));
  if (unknown !== undefined)
    throw new UsageError(`--profiles: expected generic, quectel, simcom, ublox or huawei, got "${unknown}"`);
  const baseTopic = values['base-topic'] ?? 'm2m';
  const logger = createLogger({ level: values['log-level'] ?? 'warn', name: 'm2m-bridge' });
  const sim = await startSimulation({
    apiHost: '127.0.0.1',
    apiPort: port(values['api-port'], 8080, 'api-port'),
    mqttPort: port(values['mqtt-port'], 1883, 'mqtt-port'),
    ...(values['mqtt-url'] ? { mqttUrl: values['mqtt-url'] } : {}),
    ...(values['account-sid'] ? { accountSid: values['account-sid'] } : {}),
    ...(values['auth-token'] ? { authToken: values['auth-token'] } : {}),
    baseTopic,
    profile: profile as SimProfile,
    simName: modems > 1 ? 'gateway' : 'gateway-1',
    modems,
    ...(profiles ? { profiles: profiles as SimProfile[] } : {}),
    logger,
    version: packageVersion(),
  });
  if (values.json) {
    writeJsonLine(io.stdout, {
      api_url: sim.emulator.wirelessBaseUrl,
      account_sid: sim.emulator.accountSid,
      auth_token: sim.emulator.authToken,
      sim_sid: sim.simSid,
      iccid: sim.iccid,
      mqtt_url: sim.mqttUrl,
      base_topic: baseTopic,
      modem_path: sim.modem.path,
      control_url: sim.modem.controlUrl ?? null,
      journal_path: sim.journalPath,
      super_sim_api_url: sim.emulator.superSimBaseUrl,
      ip_device_port: sim.ipDevicePort,
      ...(modems > 1
        ? {
            modems: sim.instances.map((i) => ({
              instance: i.instance,
              sim_name: i.simName,
              sim_sid: i.simSid,
              iccid: i.iccid,
              profile: i.profile,
              base_topic: i.baseTopic,
              modem_path: i.modem.path,
              control_url: i.modem.controlUrl ?? null,
              journal_path: i.journalPath,
            })),
          }
        : {}),
    });
  } else {
    // The guide's commands name this program the way it was started, so they run as printed (README, "The demo").
    const self = selfInvocation(process.argv[1] ?? 'm2m-bridge');
    io.stdout.write(modems > 1 ? severalModemsGuide(sim, baseTopic, self) : oneModemGuide(sim, baseTopic, self));
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  io.stderr.write('stopping…\n');
  await sim.stop();
  return 0;
}

export const command: CliCommand = {
  usage,
  run,
};
