import type { LoadedConfig } from '../../config/index.js';
import { WirelessApiError, WirelessClient, type WirelessCredentials } from '../../wireless/index.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';

function credentialsOf(loaded: LoadedConfig): WirelessCredentials | null {
  const { config, secrets } = loaded;
  if (config.wireless.api_key && secrets.wireless_api_secret)
    return { apiKeySid: config.wireless.api_key, apiKeySecret: secrets.wireless_api_secret };
  if (config.wireless.account_sid && secrets.wireless_auth_token)
    return { accountSid: config.wireless.account_sid, authToken: secrets.wireless_auth_token };
  return null;
}

function apiFailure(id: string, title: string, error: unknown): CheckResult {
  if (error instanceof WirelessApiError) {
    const hint =
      error.status === 401
        ? 'check wireless.account_sid and the token in wireless.auth_token_file (or the API key and secret)'
        : `see ${error.more_info ?? 'the API error codes'}`;
    return fail(id, title, `HTTP ${error.status}, code ${error.code}: ${error.message}`, hint);
  }
  return fail(
    id,
    title,
    (error as Error).message,
    'is the gateway online? check wireless.base_url and DNS/TLS reachability',
  );
}

/**
 * The cloud's view of this SIM (FACTS.md): credentials, the Sim found by the modem's ICCID and its status, whether
 * its rate plan allows Commands (33203 otherwise), and the latest data session (operator, radio, cell).
 */
export async function checkApi(loaded: LoadedConfig, iccid: string | null): Promise<CheckResult[]> {
  const credentials = credentialsOf(loaded);
  if (!credentials)
    return [
      skip(
        'api.credentials',
        'Wireless API',
        'no wireless.account_sid + auth_token_file (or api_key + api_secret_file) configured',
      ),
    ];
  const client = new WirelessClient({
    credentials,
    baseUrl: loaded.config.wireless.base_url,
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    retry: { maxRetries: 0 },
  });
  const results: CheckResult[] = [];
  try {
    let sim: Awaited<ReturnType<typeof client.sims.fetch>> | undefined;
    try {
      const iterator = client.sims.list(iccid ? { iccid, pageSize: 1 } : { pageSize: 1 });
      sim = (await iterator.next()).value ?? undefined;
      results.push(
        pass('api.credentials', 'Wireless API credentials', `${loaded.config.wireless.base_url} accepted them`),
      );
    } catch (error) {
      results.push(apiFailure('api.credentials', 'Wireless API credentials', error));
      return results;
    }
    if (!iccid) {
      results.push(
        skip('api.sim', 'SIM in the account', "the modem's ICCID is unknown, so the SIM cannot be looked up"),
      );
      return results;
    }
    if (!sim) {
      results.push(
        fail(
          'api.sim',
          'SIM in the account',
          `no SIM with ICCID ${iccid} in this account`,
          'is the SIM registered to this account? compare with the ICCID printed on the card',
        ),
      );
      return results;
    }
    const label = `${sim.unique_name ?? sim.sid} (${sim.sid})`;
    if (sim.status === 'active' || sim.status === 'ready')
      results.push(pass('api.sim', 'SIM status', `${label} is ${sim.status}`));
    else if (sim.status === 'new' || sim.status === 'updating' || sim.status === 'scheduled')
      results.push(
        warn(
          'api.sim',
          'SIM status',
          `${label} is ${sim.status}`,
          'activate it in the console or with the API (Status=active)',
        ),
      );
    else
      results.push(
        fail(
          'api.sim',
          'SIM status',
          `${label} is ${sim.status}: it receives no Commands`,
          'reactivate the SIM (Status=active) if it should be in service',
        ),
      );

    if (sim.rate_plan_sid) {
      try {
        const plan = await client.ratePlans.fetch(sim.rate_plan_sid);
        results.push(
          plan.messaging_enabled
            ? pass('api.rate_plan', 'rate plan allows Commands', `${plan.unique_name ?? plan.sid}: messaging_enabled`)
            : fail(
                'api.rate_plan',
                'rate plan allows Commands',
                `${plan.unique_name ?? plan.sid}: messaging is disabled (API error 33203 on every Command)`,
                'move the SIM to a rate plan with messaging enabled',
              ),
        );
      } catch (error) {
        results.push(apiFailure('api.rate_plan', 'rate plan', error));
      }
    } else {
      results.push(
        warn('api.rate_plan', 'rate plan', 'the SIM has no rate plan', 'assign a rate plan with messaging enabled'),
      );
    }

    try {
      const latest = (await client.sims.dataSessions(sim.sid ?? '', { pageSize: 1 }).next()).value;
      results.push(
        latest
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
            ),
      );
    } catch (error) {
      results.push(apiFailure('api.data_session', 'latest data session', error));
    }
    return results;
  } finally {
    await client.close();
  }
}
