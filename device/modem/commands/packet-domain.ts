import type { RadioAccess } from '../modem-host.js';
import { CommandFailed, cme, ERROR } from '../result-codes.js';
import { intParam } from './params.js';
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

interface PdpDefinition {
  type: string;
  apn: string;
}

const PDP_TYPES = ['IP', 'IPV6', 'IPV4V6', 'NONIP'];

/**
 * +CGDCONT (TS 27.007 §10.1.1): `AT+CGDCONT=<cid>[,<PDP_type>[,<APN>…]]` defines a context, `AT+CGDCONT=<cid>` alone
 * removes it, the read lists `+CGDCONT: <cid>,<PDP_type>,<APN>,<PDP_addr>,<d_comp>,<h_comp>` per context. Context 1
 * starts as "IP" on the Super SIM APN `super`. Definitions live as long as the modem (real modules keep them in
 * non-volatile memory, across reboots).
 */
function cgdcont(): CommandHandler {
  const contexts = new Map<number, PdpDefinition>([[CID, { type: 'IP', apn: 'super' }]]);
  return (command, core) => {
    if (command.kind === 'test') return { lines: PDP_TYPES.map((type) => `+CGDCONT: (1-16),"${type}",,,(0-2),(0-4)`) };
    if (command.kind === 'read') {
      const lines = [...contexts.entries()]
        .sort(([a], [b]) => a - b)
        .map(([cid, context]) => {
          const address = cid === CID ? (activeAddress(core) ?? '0.0.0.0') : '0.0.0.0';
          return `+CGDCONT: ${cid},"${context.type}","${context.apn}","${address}",0,0`;
        });
      return { lines };
    }
    if (command.kind !== 'set') throw new CommandFailed(ERROR);
    const cid = intParam(command, 0, 1, 16);
    if (command.params.length === 1) {
      contexts.delete(cid);
      return {};
    }
    const type = (command.params[1] || 'IP').toUpperCase();
    if (!PDP_TYPES.includes(type)) throw new CommandFailed(cme(50));
    contexts.set(cid, { type, apn: command.params[2] ?? '' });
    return {};
  };
}

export function packetDomainCommands(): CommandTable {
  return { '+CGACT': cgact, '+CGPADDR': cgpaddr, '+CGDCONT': cgdcont() };
}
