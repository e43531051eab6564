import type { RadioAccess } from '../modem-host.js';
import { CommandFailed, ERROR } from '../result-codes.js';
import type { CommandHandler, CommandTable } from './types.js';

/**
 * The PDP context, read-only (TS 27.007 §10.1.10 +CGACT, §10.1.14 +CGPADDR): context 1 is active, with the device's
 * address, while the modem is registered and has a data session (`SimulatedModemOptions.pdpAddress`, or
 * `modem.setDataSession`). m2m-bridge only ever reads these: the data connection belongs to the OS, so the simulator
 * refuses to change it (`AT+CGACT=…` answers ERROR).
 */
const CID = 1;

type PacketDomainHost = Pick<RadioAccess, 'isRegistered' | 'pdpAddress'>;

function activeAddress(core: PacketDomainHost): string | null {
  return core.isRegistered() ? (core.pdpAddress ?? null) : null;
}

const cgact: CommandHandler<PacketDomainHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CGACT: (0,1)'] };
  if (command.kind === 'read') return { lines: [`+CGACT: ${CID},${activeAddress(core) ? 1 : 0}`] };
  throw new CommandFailed(ERROR);
};

const cgpaddr: CommandHandler<PacketDomainHost> = (command, core) => {
  if (command.kind === 'test') return { lines: [`+CGPADDR: (${CID})`] };
  if (command.kind === 'read') throw new CommandFailed(ERROR);
  const asked = command.kind === 'set' ? command.params.filter((p) => p !== '') : [];
  if (asked.some((cid) => cid !== String(CID))) return {};
  const address = activeAddress(core);
  return { lines: [address ? `+CGPADDR: ${CID},"${address}"` : `+CGPADDR: ${CID}`] };
};

export function packetDomainCommands(): CommandTable {
  return { '+CGACT': cgact, '+CGPADDR': cgpaddr };
}
