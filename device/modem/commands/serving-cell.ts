import { rsrpIndex, rsrqIndex } from '../cell.js';
import type { ModemIdentity, RadioAccess, SimAccess } from '../modem-host.js';
import type { ModemProfile } from '../profiles.js';
import { CommandFailed, ERROR } from '../result-codes.js';
import type { CommandHandler, CommandTable } from './types.js';

/**
 * Each vendor's serving-cell query, answered from the simulated cell (cell.ts) in the layout the vendor's AT manual
 * documents (the driver's parsers, src/modem/parsers/serving-cell.ts, cite the same manuals). Only for the profiles
 * whose real module has the command: the SIM800L has no +CPSI (a SIM7x00 command) and answers ERROR, as does a cell
 * with `servingCellQuery: false`.
 */

type CellHost = Pick<ModemIdentity, 'identity'> & Pick<SimAccess, 'requireSim'> & RadioAccess;

function refuseUnlessAnswering(core: CellHost): void {
  core.requireSim();
  if (!core.cell.servingCellQuery) throw new CommandFailed(ERROR);
}

/** EC25 manual: <SINR> in 1/5 dB over 0..250 for -20..+30 dB. */
const quectelSinr = (db: number) => Math.round((db + 20) * 5);

/** Quectel AT+QENG="servingcell" (EC25&EC21 AT Commands Manual): the LTE layout, or "SEARCH" without service. */
const qeng: CommandHandler<CellHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+QENG: "servingcell","neighbourcell"'] };
  if (command.kind !== 'set' || command.params[0]?.toLowerCase() !== 'servingcell') throw new CommandFailed(ERROR);
  refuseUnlessAnswering(core);
  if (!core.isRegistered()) return { lines: ['+QENG: "servingcell","SEARCH"'] };
  const c = core.cell;
  return {
    lines: [
      `+QENG: "servingcell","NOCONN","LTE","FDD",${c.mcc},${c.mnc},${c.cellId},${c.pci},${c.earfcn},${c.band},5,5,` +
        `${c.tac},${c.rsrp},${c.rsrq},${c.rssi},${quectelSinr(c.sinr)},40`,
    ],
  };
};

/**
 * u-blox AT+UCGED? in mode 2 (SARA-R4 AT Commands Manual UBX-17003787): `+UCGED: 2`, `<rat>,<svc>,<MCC>,<MNC>`, then
 * the LTE line (hex TAC and cell id in lower case, RSRP/RSRQ as TS 36.133 indices, SINR in dB).
 */
const ucged: CommandHandler<CellHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+UCGED: (0,2)'] };
  if (command.kind === 'set') return {};
  if (command.kind !== 'read') throw new CommandFailed(ERROR);
  refuseUnlessAnswering(core);
  const c = core.cell;
  if (!core.isRegistered())
    return {
      lines: [
        '+UCGED: 2',
        '6,2,fff,fff',
        '65535,255,255,255,ffff,0000000,65535,00000000,ffff,ff,255,255,255,1,255,255,255,255,255,0,255,255,0',
      ],
    };
  return {
    lines: [
      '+UCGED: 2',
      `6,4,${c.mcc},${c.mnc}`,
      `${c.earfcn},${c.band},25,50,${c.tac.toLowerCase()},${c.cellId.toLowerCase()},${c.pci},00000000,ffff,ff,` +
        `${rsrpIndex(c.rsrp)},${rsrqIndex(c.rsrq)},${c.sinr.toFixed(2)},2,255,255,${rsrpIndex(c.rsrp)},11,255,0,255,255,0`,
    ],
  };
};

/** Telit SINR in #RFSTS: 0..250 for -20..+30 dB (LE910Cx AT Commands Reference Guide). */
const telitSinr = (db: number) => Math.round((db + 20) * 5);

/** Telit AT#RFSTS (LE910Cx guide): the LTE layout, with the IMSI as the real module prints it. */
const rfsts: CommandHandler<CellHost> = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'exec') throw new CommandFailed(ERROR);
  refuseUnlessAnswering(core);
  if (!core.isRegistered()) throw new CommandFailed(ERROR);
  const c = core.cell;
  const operator = core.operator;
  return {
    lines: [
      `#RFSTS: "${c.mcc} ${c.mnc}",${c.earfcn},${c.rsrp},${c.rssi},${c.rsrq},${c.tac},255,,1280,19,2,${c.cellId},` +
        `"${core.identity.imsi}","${operator}",3,${c.band},${telitSinr(c.sinr)}`,
    ],
  };
};

/** Telit AT#SERVINFO (same guide), LTE: <EARFCN>,<dBM>,<NetNameAsc>,<NetCode>,<cell id>,<TAC>,<DRX>,<SD>,<RSRP>. */
const servinfo: CommandHandler<CellHost> = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'exec') throw new CommandFailed(ERROR);
  refuseUnlessAnswering(core);
  if (!core.isRegistered()) throw new CommandFailed(ERROR);
  const c = core.cell;
  const operator = core.operator;
  return {
    lines: [`#SERVINFO: ${c.earfcn},${c.rssi},"${operator}","${c.mcc}${c.mnc}",${c.cellId},${c.tac},1280,3,${c.rsrp}`],
  };
};

/** The serving-cell commands of the profile's module. */
export function servingCellCommands(profile: ModemProfile): CommandTable {
  if (profile.name === 'quectel') return { '+QENG': qeng };
  if (profile.name === 'ublox') return { '+UCGED': ucged };
  if (profile.name === 'telit') return { '#RFSTS': rfsts, '#SERVINFO': servinfo };
  return {};
}
