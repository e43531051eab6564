// The REST client of the Wireless API (Programmable Wireless v1) and Super SIM v1 (ARCHITECTURE.md, src/wireless).

export { type AuthStrategy, BasicAuth } from './auth.js';
export {
  assertHttpUrl,
  DEFAULT_SUPER_SIM_BASE_URL,
  DEFAULT_WIRELESS_BASE_URL,
  KORE_SUPER_SIM_BASE_URL,
  KORE_TOKEN_URL,
  KORE_WIRELESS_BASE_URL,
  WirelessClient,
  type WirelessClientOptions,
} from './client.js';
export {
  WirelessApiError,
  WirelessResponseError,
  WirelessTokenError,
  WirelessTransportError,
  type WirelessTransportErrorKind,
} from './errors.js';
export {
  type ApiParams,
  encodeParams,
  type WirelessCredentials,
  WirelessHttp,
  type WirelessHttpOptions,
  type WirelessRequestEvent,
} from './http.js';
export { type ClientCredentials, OAuthClientCredentials, refreshMarginMs } from './oauth-client.js';
export { collect, paginate } from './paginate.js';
export type { CreateRatePlanParams } from './resources/account.js';
export type { CreateCommandParams, ListCommandsParams } from './resources/commands.js';
export type { ListSimsParams, UpdateSimParams, UsageRecordsParams } from './resources/sims.js';
export type { CreateSmsCommandParams } from './resources/super-sim.js';
export { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry.js';
export {
  resolveWirelessSettings,
  type WirelessSettings,
  WirelessSettingsError,
  type WirelessSettingsInput,
} from './settings.js';
export * from './types.js';
