import type { FaultAccess, SettingsHolder, SimAccess, StorageAccess } from '../modem-host.js';
import { CommandFailed, cms, ERROR } from '../result-codes.js';
import { type MemoryName, SmsStorage } from '../sms-storage.js';
import { intParam } from './params.js';
import type { CommandHandler, CommandTable, SmsTraffic } from './types.js';

/** What the SMS settings commands use of the core: the settings, storage counts, the rejectCnmi fault, +CNMA. */
type SmsSettingsHost = SettingsHolder & StorageAccess & Pick<FaultAccess, 'faults'> & Pick<SmsTraffic, 'mt'>;

/** Runs `handler` only when SMS commands are allowed (SIM ready; on SIMCom also after "SMS Ready"). */
export function smsCommand<Host>(handler: CommandHandler<Host>): CommandHandler<Host & Pick<SimAccess, 'requireSms'>> {
  return (command, core) => {
    if (command.kind !== 'test') core.requireSms();
    return handler(command, core);
  };
}

const MEM1: MemoryName[] = ['SM', 'ME', 'MT', 'SR'];
const MEM23: MemoryName[] = ['SM', 'ME', 'MT'];
const list = (memories: MemoryName[]) => `(${memories.map((memory) => `"${memory}"`).join(',')})`;

/** +CPMS (TS 27.005 §3.2.2): read names each memory with used/total; set answers the counts. */
const cpms: CommandHandler<SmsSettingsHost> = (command, core) => {
  if (command.kind === 'test') return { lines: [`+CPMS: ${list(MEM1)},${list(MEM23)},${list(MEM23)}`] };
  const usage = (memory: MemoryName) => core.storage.usage(memory);
  if (command.kind === 'read') {
    const fields = core.settings.cpms.map((memory) => {
      const { used, total } = usage(memory);
      return `"${memory}",${used},${total}`;
    });
    return { lines: [`+CPMS: ${fields.join(',')}`] };
  }
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const next = [...core.settings.cpms] as [MemoryName, MemoryName, MemoryName];
  command.params.forEach((raw, position) => {
    if (position > 2) throw new CommandFailed(cms(302));
    if (raw === '') return;
    const memory = raw.toUpperCase();
    const allowed = position === 0 ? MEM1 : MEM23;
    if (!SmsStorage.isMemory(memory) || !allowed.includes(memory)) throw new CommandFailed(cms(302));
    next[position] = memory;
  });
  core.updateSettings({ cpms: next });
  const counts = next.map((memory) => {
    const { used, total } = usage(memory);
    return `${used},${total}`;
  });
  return { lines: [`+CPMS: ${counts.join(',')}`] };
};

/** +CNMI (TS 27.005 §3.4.1): <mode>,<mt>,<bm>,<ds>,<bfr>. */
const cnmi: CommandHandler<SmsSettingsHost> = (command, core) => {
  if (command.kind === 'read') return { lines: [`+CNMI: ${core.settings.cnmi.join(',')}`] };
  if (command.kind === 'test') return { lines: ['+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const current = core.settings.cnmi;
  const limits = [3, 3, 3, 2, 1];
  const next = limits.map((max, position) => intParam(command, position, 0, max, current[position], 'cms'));
  if (next[2] === 1 || next[2] === 3) throw new CommandFailed(cms(303));
  // The rejectCnmi fault: values the test command lists but this firmware refuses (SIM800: no <ds>=2).
  const refused = core.faults.rejectCnmi;
  if (refused && (refused.mode.includes(next[0]!) || refused.ds.includes(next[3]!))) throw new CommandFailed(cms(303));
  core.updateSettings({ cnmi: next as [number, number, number, number, number] });
  return {};
};

/** +CNMA (TS 27.005 §3.4.4): acknowledges a +CMT/+CDS; only with +CSMS=1, else 302/340. */
const cnma: CommandHandler<SmsSettingsHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CNMA: (0-2)'] };
  if (core.settings.csms !== 1) throw new CommandFailed(cms(340));
  const n = command.kind === 'set' ? intParam(command, 0, 0, 2, 0, 'cms') : 0;
  core.mt.acknowledge(n);
  return {};
};

export function smsSettingsCommands(): CommandTable {
  const table: Record<string, CommandHandler<SmsSettingsHost & Pick<SimAccess, 'requireSms'>>> = {
    '+CMGF': (command, core) => {
      if (command.kind === 'read') return { lines: [`+CMGF: ${core.settings.cmgf}`] };
      if (command.kind === 'test') return { lines: ['+CMGF: (0,1)'] };
      core.updateSettings({ cmgf: command.kind === 'exec' ? 0 : intParam(command, 0, 0, 1) });
      return {};
    },
    '+CSMS': smsCommand((command, core) => {
      if (command.kind === 'read') return { lines: [`+CSMS: ${core.settings.csms},1,1,1`] };
      if (command.kind === 'test') return { lines: ['+CSMS: (0,1)'] };
      if (command.kind !== 'set') throw new CommandFailed(ERROR);
      core.updateSettings({ csms: intParam(command, 0, 0, 1, undefined, 'cms') });
      return { lines: ['+CSMS: 1,1,1'] };
    }),
    '+CSCA': smsCommand((command, core) => {
      if (command.kind === 'read')
        return { lines: [`+CSCA: "${core.settings.csca.address}",${core.settings.csca.type}`] };
      if (command.kind === 'test') return {};
      if (command.kind !== 'set') throw new CommandFailed(ERROR);
      const address = command.params[0] ?? '';
      // An empty address clears the SMS centre, as on a SIM that never had one (sends then fail with +CMS ERROR: 330).
      if (address !== '' && !/^\+?\d{1,20}$/.test(address)) throw new CommandFailed(cms(304));
      const type = intParam(command, 1, 0, 255, address.startsWith('+') ? 145 : 129, 'cms');
      core.updateSettings({ csca: { address, type } });
      return {};
    }),
    '+CPMS': smsCommand(cpms),
    '+CNMI': smsCommand(cnmi),
    '+CNMA': smsCommand(cnma),
    '+CSDH': (command, core) => {
      if (command.kind === 'read') return { lines: [`+CSDH: ${core.settings.csdh}`] };
      if (command.kind === 'test') return { lines: ['+CSDH: (0,1)'] };
      core.updateSettings({ csdh: command.kind === 'exec' ? 0 : intParam(command, 0, 0, 1) });
      return {};
    },
  };
  return table;
}
