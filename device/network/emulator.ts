import type { AddressInfo } from 'node:net';
import type { SimulatedModem } from '../modem/index.js';
import { type CallbackSender, createCallbackSender } from './callbacks.js';
import { IpCommandService } from './ip-commands.js';
import { type ModemSmsLink, modemSmsLink } from './modem-link.js';
import { EmulatedNetwork, type RatePlanConfig, type SimConfig } from './network.js';
import type { CommandRecord, HttpMethod, SimRecord } from './records.js';
import { type RequestFault, RequestFaults } from './request-faults.js';
import { ipCommandRoutes } from './routes-ip-commands.js';
import { type ApiRequestEvent, type Credential, createApiServer, SUPER_SIM_PREFIX, WIRELESS_PREFIX } from './server.js';
import { createSidFactory, type SidFactory } from './sids.js';
import type { SmsLink } from './sms-link.js';
import { type OAuthClient, TOKEN_PATH, TokenIssuer } from './token-issuer.js';

/** Loopback-only defaults, printed by `simulate` so a curl can be copied. Not secrets: the emulator is local. */
export const DEFAULT_EMULATOR_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEFAULT_EMULATOR_AUTH_TOKEN = 'emulator-auth-token';
/** KORE's form: the client credentials the emulator's token endpoint accepts by default. */
export const DEFAULT_EMULATOR_CLIENT_ID = 'apiclient_emulator';
export const DEFAULT_EMULATOR_CLIENT_SECRET = 'emulator-client-secret';

export interface EmulatorSimOptions extends Omit<SimConfig, 'link' | 'iccid'> {
  /** Defaults to the modem's ICCID when `modem` is given. */
  iccid?: string;
  /** The device as a simulated modem (linked in-process with modemSmsLink)… */
  modem?: SimulatedModem;
  /** …or any other SmsLink. Neither: no device, Commands to this SIM fail. */
  link?: SmsLink | null;
  /**
   * The device's address on a live data session (IP Commands go to it, MO IP Commands must come from it); a loopback
   * address in tests. Absent: no data session, so IP Commands to this SIM fail.
   */
  ipAddress?: string | null;
}

/** The UDP side of Super SIM IP Commands in the emulator. */
export interface EmulatorIpCommandOptions {
  /** Stands in for 100.64.0.1: where devices send MO IP Commands. Default 127.0.0.1, port 0 (a free one). */
  listenHost?: string;
  listenPort?: number;
  /** The Fleet's ip_commands_url (called for every MO IP Command) and method. */
  fleetCallbackUrl?: string;
  fleetCallbackMethod?: HttpMethod;
}

export interface WirelessEmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  accountSid?: string;
  authToken?: string;
  /** Extra accepted API keys (SK… SID + secret). */
  apiKeys?: Array<{ sid: string; secret: string }>;
  /** OAuth 2.0 clients of the token endpoint (KORE's form); default one with the DEFAULT_EMULATOR_CLIENT_* values. */
  oauthClients?: OAuthClient[];
  /** `expires_in` of issued tokens, by the emulator's clock (default 3600 s, KORE's shortest client setting). */
  tokenLifetimeSeconds?: number;
  /** Rate plans; one with messaging enabled (`unique_name` "default") when absent. */
  ratePlans?: RatePlanConfig[];
  sims?: EmulatorSimOptions[];
  /** How long an MT SMS may wait for the device before the Command fails (default 30 s). */
  deliveryDeadlineMs?: number;
  now?: () => number;
  newSid?: SidFactory;
  /** Replaces the HTTP webhook sender (tests that record callbacks without a server). */
  sendCallback?: CallbackSender;
  /** Called once per answered request, for a log line (method, path, status, duration; no credentials). */
  onRequest?: (event: ApiRequestEvent) => void;
  ipCommands?: EmulatorIpCommandOptions;
}

export interface WirelessEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Base URL of Wireless v1, e.g. `http://127.0.0.1:PORT/v1`: give it to the REST client or curl. */
  wirelessBaseUrl: string;
  /** Base URL of Super SIM v1: `http://127.0.0.1:PORT/supersim/v1`. */
  superSimBaseUrl: string;
  host: string;
  port: number;
  accountSid: string;
  authToken: string;
  /** Token endpoint of KORE's form: `http://127.0.0.1:PORT/api-services/v1/auth/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Issued tokens; `revokeAll()` makes cached ones fail with 401, `issuedCount` counts fetches. */
  tokens: TokenIssuer;
  network: EmulatedNetwork;
  /** Super SIM IP Commands: records, data sessions, and `listenAddress` (the emulator's "100.64.0.1"). */
  ipCommands: IpCommandService;
  /** Adds a SIM while running (e.g. when `simulate` starts another modem). */
  addSim(sim: EmulatorSimOptions): SimRecord;
  /** Resolves with the Command once `predicate` holds (checked now and on every change); rejects after timeoutMs. */
  waitForCommand(predicate: (command: CommandRecord) => boolean, timeoutMs?: number): Promise<CommandRecord>;
  /** Answers the next request(s) with a 429/5xx in the API's error shape (client retry tests, doctor). */
  failRequests(fault: RequestFault): void;
  /** Stops accepting requests, waits for in-flight deliveries and callbacks, detaches the devices. */
  close(): Promise<void>;
}

/** Starts the emulator of the Wireless API on loopback, in-process: one call, for `simulate` and for tests. */
export async function startWirelessEmulator(options: WirelessEmulatorOptions = {}): Promise<WirelessEmulator> {
  const host = options.host ?? '127.0.0.1';
  const accountSid = options.accountSid ?? DEFAULT_EMULATOR_ACCOUNT_SID;
  const authToken = options.authToken ?? DEFAULT_EMULATOR_AUTH_TOKEN;
  const now = options.now ?? Date.now;
  const network = new EmulatedNetwork({
    accountSid,
    now,
    newSid: options.newSid ?? createSidFactory(),
    deliveryDeadlineMs: options.deliveryDeadlineMs ?? 30_000,
    sendCallback: options.sendCallback ?? createCallbackSender(authToken),
  });
  for (const plan of options.ratePlans ?? [
    { uniqueName: 'default', friendlyName: 'Default', messagingEnabled: true },
  ]) {
    network.addRatePlan(plan);
  }
  const sendCallback = options.sendCallback ?? createCallbackSender(authToken);
  const fleet = options.ipCommands?.fleetCallbackUrl;
  const ipCommands = new IpCommandService({
    network,
    accountSid,
    now,
    newSid: options.newSid ?? createSidFactory(),
    sendCallback,
    listenHost: options.ipCommands?.listenHost ?? '127.0.0.1',
    listenPort: options.ipCommands?.listenPort ?? 0,
    fleetCallback: fleet ? { url: fleet, method: options.ipCommands?.fleetCallbackMethod ?? 'POST' } : null,
  });
  await ipCommands.start();
  const modemLinks: ModemSmsLink[] = [];
  const addSim = (sim: EmulatorSimOptions): SimRecord => {
    const { modem, link, iccid, ipAddress, ...rest } = sim;
    const resolvedIccid = iccid ?? modem?.state().identity.iccid;
    if (!resolvedIccid) throw new TypeError('a SIM needs an iccid (or a modem to read it from)');
    const created = modem ? modemSmsLink(modem) : undefined;
    try {
      const record = network.addSim({ ...rest, iccid: resolvedIccid, link: created ?? link ?? null });
      if (created) modemLinks.push(created);
      if (ipAddress) ipCommands.setDataSession(record, ipAddress);
      return record;
    } catch (error) {
      created?.dispose();
      throw error;
    }
  };
  for (const sim of options.sims ?? []) addSim(sim);
  const credentials: Credential[] = [
    { username: accountSid, password: authToken },
    ...(options.apiKeys ?? []).map((key) => ({ username: key.sid, password: key.secret })),
  ];
  const oauthClients = options.oauthClients ?? [
    { clientId: DEFAULT_EMULATOR_CLIENT_ID, clientSecret: DEFAULT_EMULATOR_CLIENT_SECRET },
  ];
  const tokens = new TokenIssuer({
    clients: oauthClients,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    now,
  });
  let origin = '';
  const faults = new RequestFaults();
  const server = createApiServer({
    network,
    credentials: () => credentials,
    tokens,
    superSimExtraRoutes: ipCommandRoutes(ipCommands),
    origin: () => origin,
    now,
    faults,
    onRequest: options.onRequest,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    wirelessBaseUrl: `${origin}${WIRELESS_PREFIX}`,
    superSimBaseUrl: `${origin}${SUPER_SIM_PREFIX}`,
    host,
    port,
    accountSid,
    authToken,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    clientId: oauthClients[0]?.clientId ?? '',
    clientSecret: oauthClients[0]?.clientSecret ?? '',
    tokens,
    network,
    ipCommands,
    addSim,
    failRequests: (fault) => faults.add(fault),
    waitForCommand(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const existing = network.commands.find(predicate);
        if (existing) {
          resolve(existing);
          return;
        }
        const onCommand = (command: CommandRecord) => {
          if (!predicate(command)) return;
          clearTimeout(timer);
          network.off('command', onCommand);
          resolve(command);
        };
        const timer = setTimeout(() => {
          network.off('command', onCommand);
          reject(new Error(`no Command matched within ${timeoutMs} ms`));
        }, timeoutMs);
        network.on('command', onCommand);
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      network.close();
      await ipCommands.close();
      await network.idle();
      for (const link of modemLinks) link.dispose();
    },
  };
}
