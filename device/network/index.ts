// The local emulator of the Wireless API (ARCHITECTURE.md, device/network): Wireless v1 and Super SIM v1 over
// node:http on loopback, routing Commands to simulated devices through SmsLinks.
export { API_ERROR, ApiError } from './api-errors.js';
export { type CallbackRequest, type CallbackResult, type CallbackSender, twilioSignature } from './callbacks.js';
export {
  DEFAULT_EMULATOR_ACCOUNT_SID,
  DEFAULT_EMULATOR_AUTH_TOKEN,
  DEFAULT_EMULATOR_CLIENT_ID,
  DEFAULT_EMULATOR_CLIENT_SECRET,
  type EmulatorIpCommandOptions,
  type EmulatorSimOptions,
  startWirelessEmulator,
  type WirelessEmulator,
  type WirelessEmulatorOptions,
} from './emulator.js';
export {
  type IpCommandRecord,
  IpCommandService,
  type IpCommandStatus,
  type IpPayloadType,
  MAX_IP_COMMAND_BYTES,
} from './ip-commands.js';
export { MemorySmsLink } from './memory-link.js';
export { type ModemSmsLink, modemSmsLink } from './modem-link.js';
export { EmulatedNetwork, type RatePlanConfig, SHORT_CODE, type SimConfig } from './network.js';
export type { CommandRecord, SimRecord, SimStatus } from './records.js';
export type { RequestFault } from './request-faults.js';
export type { ApiRequestEvent } from './server.js';
export { createSidFactory } from './sids.js';
export type { DeliveryOutcome, DeviceInfo, MobileOriginatedSms, MobileTerminatedSms, SmsLink } from './sms-link.js';
export { type OAuthClient, TOKEN_PATH, TokenIssuer } from './token-issuer.js';
