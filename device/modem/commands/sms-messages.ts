import { checkSubmitPdu } from '../mo-submit.js';
import type { ClockAccess, FaultAccess, ModemIdentity, SettingsHolder, StorageAccess, UrcSink } from '../modem-host.js';
import { CommandFailed, cms, ERROR } from '../result-codes.js';
import { type MessageStat, STAT_TEXT, type StoredMessage } from '../sms-storage.js';
import { fromCharset, textModeEntry } from '../text-mode.js';
import { intParam } from './params.js';
import { smsCommand } from './sms-settings.js';
import type { CommandHandler, CommandTable, SmsTraffic } from './types.js';

/** What the SMS message commands use of the core: storage, the settings they read, the clock, MT and MO traffic. */
type SmsMessageHost = Pick<SettingsHolder, 'settings'> &
  Pick<ModemIdentity, 'profile'> &
  StorageAccess &
  ClockAccess &
  Pick<FaultAccess, 'faults'> &
  Pick<UrcSink, 'event'> &
  SmsTraffic;

const TEXT_STATS = [...STAT_TEXT, 'ALL'] as const;

/** <stat> filter of +CMGL: a number in PDU mode, a string in text mode (TS 27.005 §3.1); 4 / "ALL" lists all. */
function statFilter(raw: string | undefined, core: SmsMessageHost): number {
  if (core.settings.cmgf === 1) {
    if (raw === undefined || raw === '') return 0;
    const index = TEXT_STATS.indexOf(raw.toUpperCase() as (typeof TEXT_STATS)[number]);
    if (index < 0) throw new CommandFailed(cms(302));
    return index;
  }
  if (raw === undefined || raw === '') return 0;
  if (!/^[0-4]$/.test(raw)) throw new CommandFailed(cms(302));
  return Number(raw);
}

/** Reading a received unread message marks it read (TS 27.005 §3.1 <stat>). */
function markRead(message: StoredMessage): void {
  if (message.stat === 0) message.stat = 1;
}

function listEntry(index: number, message: StoredMessage, core: SmsMessageHost): string[] {
  if (core.settings.cmgf === 0) return [`+CMGL: ${index},${message.stat},,${message.tpduLength}`, message.pdu];
  const entry = textModeEntry(message, core.settings.cscs);
  const detail = core.settings.csdh === 1 ? `,${entry.address.startsWith('"+') ? 145 : 129},${entry.body.length}` : '';
  return [
    `+CMGL: ${index},"${STAT_TEXT[message.stat]}",${entry.address},${entry.rest ? `${entry.rest}` : ','}${detail}`,
    entry.body,
  ];
}

/** +CMGL (TS 27.005 §3.4.2): lists <mem1> by status. */
const cmgl: CommandHandler<SmsMessageHost> = (command, core) => {
  if (command.kind === 'test') {
    return {
      lines: [core.settings.cmgf === 1 ? `+CMGL: (${TEXT_STATS.map((s) => `"${s}"`).join(',')})` : '+CMGL: (0-4)'],
    };
  }
  if (command.kind === 'read') throw new CommandFailed(ERROR);
  const stat = statFilter(command.params[0], core);
  const lines: string[] = [];
  for (const { index, message } of core.storage.list(core.settings.cpms[0])) {
    if (stat !== 4 && message.stat !== stat) continue;
    lines.push(...listEntry(index, message, core));
    markRead(message);
  }
  return { lines };
};

/** +CMGR (TS 27.005 §3.4.3): one message of <mem1>. */
const cmgr: CommandHandler<SmsMessageHost> = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const memory = core.settings.cpms[0];
  const index = intParam(command, 0, 0, 65535, undefined, 'cms');
  if (!core.storage.inRange(memory, index)) throw new CommandFailed(cms(321));
  const message = core.storage.get(memory, index);
  if (!message) {
    if (core.profile.emptySlot === 'ok') return {};
    throw new CommandFailed(cms(321));
  }
  const stat = message.stat;
  markRead(message);
  if (core.settings.cmgf === 0) return { lines: [`+CMGR: ${stat},,${message.tpduLength}`, message.pdu] };
  const entry = textModeEntry(message, core.settings.cscs);
  return {
    lines: [
      `+CMGR: "${STAT_TEXT[stat]}",${entry.address},${entry.rest || ','}${core.settings.csdh ? entry.detail : ''}`,
      entry.body,
    ],
  };
};

/** Which stats each <delflag> removes (TS 27.005 §3.5.4): 1 read, 2 read+sent, 3 read+sent+unsent, 4 all. */
const DELFLAG_STATS: Record<number, MessageStat[]> = { 1: [1], 2: [1, 3], 3: [1, 2, 3], 4: [0, 1, 2, 3] };

/** +CMGD (TS 27.005 §3.5.4). An empty slot in range deletes fine; out of range is 321. */
const cmgd: CommandHandler<SmsMessageHost> = (command, core) => {
  const memory = core.settings.cpms[0];
  if (command.kind === 'test') {
    const used = core.storage.list(memory).map(({ index }) => index);
    return { lines: [`+CMGD: (${used.join(',')}),(0-4)`] };
  }
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const delflag = intParam(command, 1, 0, 4, 0, 'cms');
  if (delflag === 0) {
    const index = intParam(command, 0, 0, 65535, undefined, 'cms');
    if (!core.storage.inRange(memory, index)) throw new CommandFailed(cms(321));
    core.storage.delete(memory, index);
  } else {
    const stats = DELFLAG_STATS[delflag]!;
    for (const { index, message } of core.storage.list(memory)) {
      if (stats.includes(message.stat)) core.storage.delete(memory, index);
    }
  }
  core.event('deleted', { memory, delflag });
  // Space freed: the modem tells the network (SMMA, TS 24.011 §7.3.2), which retries what it holds.
  core.mt.scheduleRetry();
  return {};
};

/** The network's round trip for a send (the sendDelayMs fault); the answer waits, the modem stays busy. */
async function networkTime(core: SmsMessageHost): Promise<void> {
  const ms = core.faults.sendDelayMs;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** +CMGS (TS 27.005 §3.5.1): PDU mode `=<length>`, text mode `="<da>"[,<toda>]`, then the `> ` prompt. */
const cmgs: CommandHandler<SmsMessageHost> = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  if (core.settings.cmgf === 0) {
    const length = intParam(command, 0, 7, 164, undefined, 'cms');
    return {
      prompt: {
        mode: 'pdu',
        complete: async (body) => {
          await networkTime(core);
          return { lines: [`+CMGS: ${core.mo.submitPdu(body, length)}`] };
        },
      },
    };
  }
  // Under +CSCS="UCS2" both the address and the text arrive as UCS-2 hex.
  const charset = core.settings.cscs;
  const destination = fromCharset(command.params[0] ?? '', charset) ?? '';
  if (!/^\+?\d{1,20}$/.test(destination)) throw new CommandFailed(cms(305));
  return {
    prompt: {
      mode: 'text',
      complete: async (body) => {
        const text = fromCharset(body, charset);
        if (text === undefined) throw new CommandFailed(cms(305));
        await networkTime(core);
        return { lines: [`+CMGS: ${core.mo.submitText(destination, text)}`] };
      },
    },
  };
};

/** +CMGW (TS 27.005 §3.5.3): PDU mode only here; stores to <mem2> with <stat> (default 2, STO UNSENT). */
const cmgw: CommandHandler<SmsMessageHost> = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'set' || core.settings.cmgf !== 0) throw new CommandFailed(cms(303));
  const length = intParam(command, 0, 7, 164, undefined, 'cms');
  const stat = intParam(command, 1, 0, 3, 2, 'cms') as MessageStat;
  return {
    prompt: {
      mode: 'pdu',
      complete: (body) => {
        const { pdu } = checkSubmitPdu(body, length);
        const memory = core.settings.cpms[1];
        const index = core.storage.store(memory, {
          stat,
          pdu,
          tpduLength: length,
          storedAt: core.simClock.now().toISOString(),
        });
        if (index === undefined) throw new CommandFailed(cms(322));
        return { lines: [`+CMGW: ${index}`] };
      },
    },
  };
};

/** +CMSS (TS 27.005 §3.5.2): sends a stored message from <mem2>. */
const cmss: CommandHandler<SmsMessageHost> = async (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const memory = core.settings.cpms[1];
  const index = intParam(command, 0, 0, 65535, undefined, 'cms');
  const message = core.storage.get(memory, index);
  if (!message) throw new CommandFailed(cms(321));
  const destination = command.params[1] || undefined;
  await networkTime(core);
  const reference = core.mo.submitStored(message.pdu, destination);
  message.stat = 3;
  return { lines: [`+CMSS: ${reference}`] };
};

export function smsMessageCommands(): CommandTable {
  return {
    '+CMGL': smsCommand(cmgl),
    '+CMGR': smsCommand(cmgr),
    '+CMGD': smsCommand(cmgd),
    '+CMGS': smsCommand(cmgs),
    '+CMGW': smsCommand(cmgw),
    '+CMSS': smsCommand(cmss),
  };
}
