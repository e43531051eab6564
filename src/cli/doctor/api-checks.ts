import type { LoadedConfig } from '../../config/index.js';
import { WirelessApiError, WirelessClient, WirelessTokenError } from '../../wireless/index.js';
import { wirelessEndpoints } from '../wireless-config.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';

function apiFailure(id: string, title: string, error: unknown, keys: string): CheckResult {
  if (error instanceof WirelessTokenError) {
    const hint =
      error.status >= 400 && error.status < 500
        ? `check ${keys}, and wireless.token_url`
        : 'the token endpoint failed; try again later or check wireless.token_url';
    return fail(id, title, error.message, hint);
  }
  if (error instanceof WirelessApiError) {
    const hint = error.status === 401 ? `check ${keys}` : `see ${error.more_info ?? 'the API error codes'}`;
    return fail(id, title, `HTTP ${error.status}, code ${error.code}: ${error.message}`, hint);
  }
  return fail(
    id,
    title,
    (error as Error).message,
    'is the gateway online? check wireless.base_url (and wireless.token_url) and DNS/TLS reachability',
  );
}

/** What doctor needs of a Sim, whichever API it came from. */
interface SimFound {
  sid: string;
  label: string;
  status: string;
  ratePlanSid: string | null;
}

type Lookup = (client: WirelessClient, iccid: string | null) => Promise<SimFound | undefined>;

/** Programmable Wireless: GET /v1/Sims?Iccid= on wireless.base_url (DE… SIDs, rate plans, data sessions). */
const lookUpWirelessSim: Lookup = async (client, iccid) => {
  const sim = (await client.sims.list(iccid ? { iccid, pageSize: 1 } : { pageSize: 1 }).next()).value;
  if (!sim) return undefined;
  return {
    sid: sim.sid ?? '',
    label: `${sim.unique_name ?? sim.sid} (${sim.sid})`,
    status: sim.status ?? 'unknown',
    ratePlanSid: sim.rate_plan_sid ?? null,
  };
};

/**
 * Super SIM: GET /v1/Sims?Iccid= on wireless.super_sim_base_url (twilio_supersim_v1.json; HS… SIDs). A Super SIM has
 * no rate plan and the Super SIM API has no DataSessions resource, so those two checks do not apply.
 */
const lookUpSuperSim: Lookup = async (client, iccid) => {
  const sim = (await client.superSim.sims.list(iccid ? { iccid, pageSize: 1 } : { pageSize: 1 }).next()).value;
  if (!sim) return undefined;
  return {
    sid: sim.sid ?? '',
    label: `${sim.unique_name ?? sim.sid} (${sim.sid})`,
    status: sim.status,
    ratePlanSid: null,
  };
};

function simStatusResult(sim: SimFound, superSim: boolean): CheckResult {
  const { label, status } = sim;
  if (status === 'active' || status === 'ready') return pass('api.sim', 'SIM status', `${label} is ${status}`);
  if (status === 'new' || status === 'updating' || status === 'scheduled')
    return warn(
      'api.sim',
      'SIM status',
      `${label} is ${status}`,
      'activate it in the console or with the API (Status=active)',
    );
  return fail(
    'api.sim',
    'SIM status',
    `${label} is ${status}: it receives no ${superSim ? 'SMS Commands' : 'Commands'}`,
    'reactivate the SIM (Status=active) if it should be in service',
  );
}

async function ratePlanResult(client: WirelessClient, sim: SimFound, keys: string): Promise<CheckResult> {
  if (!sim.ratePlanSid)
    return warn('api.rate_plan', 'rate plan', 'the SIM has no rate plan', 'assign a rate plan with messaging enabled');
  try {
    const plan = await client.ratePlans.fetch(sim.ratePlanSid);
    return plan.messaging_enabled
      ? pass('api.rate_plan', 'rate plan allows Commands', `${plan.unique_name ?? plan.sid}: messaging_enabled`)
      : fail(
          'api.rate_plan',
          'rate plan allows Commands',
          `${plan.unique_name ?? plan.sid}: messaging is disabled (API error 33203 on every Command)`,
          'move the SIM to a rate plan with messaging enabled',
        );
  } catch (error) {
    return apiFailure('api.rate_plan', 'rate plan', error, keys);
  }
}

async function dataSessionResult(client: WirelessClient, sim: SimFound, keys: string): Promise<CheckResult> {
  try {
    const latest = (await client.sims.dataSessions(sim.sid, { pageSize: 1 }).next()).value;
    return latest
      ? pass(
          'api.data_session',
          'latest data session',
          `${latest.operator_name ?? 'unknown operator'}, ${latest.radio_link ?? 'unknown radio'}, cell ${latest.cell_id ?? 'unknown'}, since ${latest.start ?? '?'}`,
        )
      : warn(
          'api.data_session',
          'latest data session',
          'none recorded',
          'normal for SMS-only use; otherwise check the APN settings',
        );
  } catch (error) {
    return apiFailure('api.data_session', 'latest data session', error, keys);
  }
}

/**
 * The API client of doctor's checks: short deadlines and no retries, since a check reports what it sees now and a
 * technician waits for the answer.
 */
export function doctorWirelessClient(
  credentials: NonNullable<ReturnType<typeof wirelessEndpoints>['credentials']>,
  baseUrl: string,
  superSimBaseUrl: string,
): WirelessClient {
  return new WirelessClient({
    credentials,
    baseUrl,
    superSimBaseUrl,
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    retry: { maxRetries: 0 },
  });
}

/**
 * The cloud's view of this SIM (FACTS.md): credentials, the Sim found by the modem's ICCID and its status, and for
 * Programmable Wireless whether its rate plan allows Commands (33203 otherwise) and the latest data session
 * (operator, radio, cell). `commands.product` picks the API: a Super SIM is only found on the Super SIM API.
 */
export async function checkApi(
  loaded: LoadedConfig,
  iccid: string | null,
  simProblem: string | null = null,
): Promise<CheckResult[]> {
  const { credentials, baseUrl, superSimBaseUrl, keys } = wirelessEndpoints(loaded);
  if (!credentials)
    return [
      skip(
        'api.credentials',
        'Wireless API',
        'no wireless.account_sid + auth_token_file (or api_key + api_secret_file, or client_id + client_secret_file) configured',
      ),
    ];
  const superSim = loaded.config.commands.product === 'super-sim';
  const client = doctorWirelessClient(credentials, baseUrl, superSimBaseUrl);
  const apiName = superSim ? 'Super SIM API' : 'Wireless API';
  const results: CheckResult[] = [];
  try {
    let sim: SimFound | undefined;
    try {
      sim = await (superSim ? lookUpSuperSim : lookUpWirelessSim)(client, iccid);
      results.push(
        pass(
          'api.credentials',
          `${apiName} credentials`,
          `${superSim ? superSimBaseUrl : baseUrl} accepted them${'tokenUrl' in credentials ? ` (Bearer token from ${credentials.tokenUrl})` : ''}`,
        ),
      );
    } catch (error) {
      results.push(apiFailure('api.credentials', `${apiName} credentials`, error, keys));
      return results;
    }
    if (!iccid) {
      results.push(
        skip(
          'api.sim',
          'SIM in the account',
          simProblem !== null
            ? `not checked: ${simProblem}`
            : "the modem's ICCID is unknown, so the SIM cannot be looked up",
        ),
      );
      return results;
    }
    if (!sim) {
      results.push(
        fail(
          'api.sim',
          'SIM in the account',
          `no ${superSim ? 'Super SIM' : 'SIM'} with ICCID ${iccid} in this account`,
          superSim
            ? 'is the Super SIM registered to this account? if it is a Programmable Wireless SIM, set commands.product: programmable-wireless'
            : 'is the SIM registered to this account? if it is a Super SIM, set commands.product: super-sim',
        ),
      );
      return results;
    }
    results.push(simStatusResult(sim, superSim));
    if (superSim) {
      results.push(
        skip(
          'api.rate_plan',
          'rate plan',
          'Super SIM has no rate plans: SMS Commands are enabled per Fleet (sms_commands_enabled), which doctor does not read',
        ),
        skip('api.data_session', 'latest data session', 'the Super SIM API has no DataSessions resource'),
      );
      return results;
    }
    results.push(await ratePlanResult(client, sim, keys));
    results.push(await dataSessionResult(client, sim, keys));
    return results;
  } finally {
    await client.close();
  }
}
