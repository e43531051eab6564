import { readFileSync } from 'node:fs';
import {
  collect,
  resolveWirelessSettings,
  SIM_STATUSES,
  type SimStatus,
  WirelessApiError,
  WirelessClient,
  type WirelessClientOptions,
  WirelessSettingsError,
  WirelessTransportError,
} from '../wireless/index.js';
import { isIccid } from '../wireless/sim-identifiers.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { wirelessEndpoints } from './wireless-config.js';

/** Flags every Wireless API subcommand takes (`sims`, `commands`). */
export const connectionOptions = {
  config: { type: 'string' },
  'base-url': { type: 'string' },
  'super-sim-base-url': { type: 'string' },
  'account-sid': { type: 'string' },
  'auth-token-file': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret-file': { type: 'string' },
  'token-url': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const CONNECTION_USAGE = `Connection (flags win over the environment):
  --config FILE            read wireless.* from the daemon's YAML config (then environment, then these flags)
  --base-url URL           API base URL (env M2M_BRIDGE_WIRELESS_BASE_URL; default https://wireless.twilio.com/v1,
                           or https://programmable-wireless.api.korewireless.com/v1 with a client id)
  --super-sim-base-url URL  Super SIM API base URL (env M2M_BRIDGE_WIRELESS_SUPER_SIM_BASE_URL;
                           default https://supersim.twilio.com/v1, or KORE's with a client id)
  Twilio form (HTTP Basic):
  --account-sid AC...      Account SID (env M2M_BRIDGE_WIRELESS_ACCOUNT_SID)
  --auth-token-file PATH   file holding the auth token (env M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE;
                           API keys: M2M_BRIDGE_WIRELESS_API_KEY with M2M_BRIDGE_WIRELESS_API_SECRET_FILE)
  KORE form (OAuth 2.0 client credentials, Bearer token):
  --client-id ID           API client id (env M2M_BRIDGE_WIRELESS_CLIENT_ID)
  --client-secret-file PATH  file holding the client secret (env M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE)
  --token-url URL          token endpoint (env M2M_BRIDGE_WIRELESS_TOKEN_URL;
                           default https://api.korewireless.com/api-services/v1/auth/token)
  --json                   one JSON object per line, as the API returns it`;

type ConnectionValues = {
  config?: string;
  'base-url'?: string;
  'super-sim-base-url'?: string;
  'account-sid'?: string;
  'auth-token-file'?: string;
  'client-id'?: string;
  'client-secret-file'?: string;
  'token-url'?: string;
};

/**
 * With --config: the config loader (src/config) reads the YAML file, the environment and these flags, validates
 * them all and reads the secret files. The whole daemon config is validated, so the file must be a complete one.
 */
async function settingsFromConfig(values: ConnectionValues, io: CliIo): Promise<WirelessClientOptions> {
  const { loadConfig } = await import('../config/index.js');
  const loaded = loadConfig({
    configPath: values.config,
    env: io.env,
    flags: {
      'wireless.base_url': values['base-url'],
      'wireless.super_sim_base_url': values['super-sim-base-url'],
      'wireless.account_sid': values['account-sid'],
      'wireless.auth_token_file': values['auth-token-file'],
      'wireless.client_id': values['client-id'],
      'wireless.client_secret_file': values['client-secret-file'],
      'wireless.token_url': values['token-url'],
    },
    flagNames: {
      'wireless.base_url': '--base-url',
      'wireless.super_sim_base_url': '--super-sim-base-url',
      'wireless.account_sid': '--account-sid',
      'wireless.auth_token_file': '--auth-token-file',
    },
  });
  const { baseUrl, superSimBaseUrl, credentials } = wirelessEndpoints(loaded);
  if (credentials) return { baseUrl, superSimBaseUrl, credentials };
  throw new UsageError(
    `${values.config} has no API credentials: set wireless.account_sid and wireless.auth_token_file (or wireless.api_key and wireless.api_secret_file), or wireless.client_id and wireless.client_secret_file (KORE)`,
  );
}

/** Builds the REST client from config, flags and environment; a missing setting is a usage error naming what to set. */
async function connectWireless(values: ConnectionValues, io: CliIo): Promise<WirelessClient> {
  if (values.config !== undefined) return new WirelessClient(await settingsFromConfig(values, io));
  try {
    const settings = resolveWirelessSettings({
      env: io.env,
      flags: {
        baseUrl: values['base-url'],
        superSimBaseUrl: values['super-sim-base-url'],
        accountSid: values['account-sid'],
        authTokenFile: values['auth-token-file'],
        clientId: values['client-id'],
        clientSecretFile: values['client-secret-file'],
        tokenUrl: values['token-url'],
      },
      readSecretFile: (path) => readFileSync(path, 'utf8'),
    });
    return new WirelessClient(settings);
  } catch (error) {
    if (error instanceof WirelessSettingsError || error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

/** One line for the user: the API's code and message, the HTTP status and the docs link; never credentials. */
function describeWirelessError(error: unknown): Error {
  if (error instanceof WirelessApiError) {
    const code = error.code === null ? '' : ` ${error.code}`;
    const more = error.moreInfo ? ` (${error.moreInfo})` : '';
    return new Error(`API error${code}, HTTP ${error.status}: ${error.message}${more}`);
  }
  if (error instanceof WirelessTransportError) return new Error(`cannot reach the API: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs `body` with a client and always closes it; API failures become one readable line (exit 1). */
export async function withWireless<T>(
  values: ConnectionValues,
  io: CliIo,
  body: (client: WirelessClient) => Promise<T>,
) {
  const client = await connectWireless(values, io);
  try {
    return await body(client);
  } catch (error) {
    throw describeWirelessError(error);
  } finally {
    await client.close();
  }
}

/** Fixed-width columns for people; `--json` is for programs. */
export function writeTable(out: NodeJS.WritableStream, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  out.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}

export const command: CliCommand = {
  usage: `Usage: m2m-bridge sims [--iccid ICCID] [--status STATUS] [--json] [connection flags]

Lists the account's SIMs (GET /v1/Sims), following every page.
  --iccid ICCID     only the SIM with this ICCID
  --status STATUS   only SIMs in this status (${SIM_STATUSES.join(', ')})

${CONNECTION_USAGE}
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { ...connectionOptions, iccid: { type: 'string' }, status: { type: 'string' } },
      false,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.iccid !== undefined && !isIccid(values.iccid)) {
      throw new UsageError(`--iccid must be 18 to 22 digits, got '${values.iccid}'`);
    }
    if (values.status !== undefined && !SIM_STATUSES.includes(values.status as SimStatus)) {
      throw new UsageError(`--status must be one of ${SIM_STATUSES.join(', ')}`);
    }
    const sims = await withWireless(values, io, (client) =>
      collect(client.sims.list({ iccid: values.iccid, status: values.status as SimStatus | undefined })),
    );
    if (values.json) {
      for (const sim of sims) writeJsonLine(io.stdout, sim);
      return 0;
    }
    if (sims.length === 0) {
      io.stdout.write('no SIMs\n');
      return 0;
    }
    const rows = sims.map((s) => [s.sid ?? '', s.unique_name ?? '', s.iccid ?? '', s.status, s.rate_plan_sid ?? '']);
    writeTable(io.stdout, ['SID', 'UNIQUE_NAME', 'ICCID', 'STATUS', 'RATE_PLAN'], rows);
    return 0;
  },
};
