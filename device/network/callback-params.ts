import type { CommandRecord, SimRecord } from './records.js';

/**
 * Form fields of the webhooks. MO (Sim commands_callback_url): Command, CommandSid, SimSid, SimUniqueName,
 * CommandMode, Status, Direction, AccountSid, ApiVersion (FACTS.md names Command and SimSid). The MT
 * CallbackUrl gets the same fields for the Command that finished, plus Transport and DeliveryReceiptRequested;
 * Super SIM callbacks name the resource SmsCommandSid and carry Payload instead of Command.
 */
export function moCallbackParams(record: CommandRecord, sim: SimRecord, accountSid: string): Record<string, string> {
  return {
    AccountSid: accountSid,
    ApiVersion: 'v1',
    Command: record.command,
    CommandSid: record.sid,
    CommandMode: record.mode,
    Direction: record.direction,
    SimSid: sim.sid,
    SimUniqueName: sim.uniqueName ?? '',
    Status: record.status,
  };
}

export function mtCallbackParams(record: CommandRecord, sim: SimRecord, accountSid: string): Record<string, string> {
  if (record.product === 'supersim') {
    return {
      AccountSid: accountSid,
      ApiVersion: 'v1',
      Direction: record.direction,
      Payload: record.command,
      SimSid: sim.superSimSid,
      SimUniqueName: sim.uniqueName ?? '',
      SmsCommandSid: record.sid,
      Status: record.status,
    };
  }
  return {
    ...moCallbackParams(record, sim, accountSid),
    DeliveryReceiptRequested: String(record.deliveryReceiptRequested),
    Transport: 'sms',
  };
}
