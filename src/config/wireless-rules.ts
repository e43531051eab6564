/** The keys of the `wireless` section that the cross-field rules look at. */
interface WirelessKeys {
  base_url?: string | undefined;
  super_sim_base_url?: string | undefined;
  account_sid?: string | undefined;
  auth_token_file?: string | undefined;
  api_key?: string | undefined;
  api_secret_file?: string | undefined;
  client_id?: string | undefined;
  client_secret_file?: string | undefined;
  token_url?: string | undefined;
}

export type Issue = (path: string[], message: string) => void;

/**
 * One form of credentials, complete, or none: a half-filled pair is an error naming the key that is missing, and two
 * forms at once are an error naming the one to drop (which secret would be sent must never be a guess).
 */
export function wirelessRules(w: WirelessKeys, issue: Issue): void {
  const pair = (a: keyof WirelessKeys, b: keyof WirelessKeys) => {
    if ((w[a] === undefined) === (w[b] === undefined)) return;
    const missing = w[a] === undefined ? a : b;
    const present = missing === a ? b : a;
    issue(['wireless', missing], `required with wireless.${present} (they go together)`);
  };
  // account_sid alone is allowed next to an API key, which belongs to that account.
  if (w.auth_token_file !== undefined && w.account_sid === undefined) {
    issue(['wireless', 'account_sid'], 'required with wireless.auth_token_file');
  }
  if (w.account_sid !== undefined && w.auth_token_file === undefined && w.api_key === undefined) {
    issue(['wireless', 'auth_token_file'], 'required with wireless.account_sid (or use wireless.api_key)');
  }
  pair('api_key', 'api_secret_file');
  pair('client_id', 'client_secret_file');
  if (w.token_url !== undefined && w.client_id === undefined) {
    issue(['wireless', 'client_id'], 'required with wireless.token_url');
  }
  if (w.auth_token_file !== undefined && w.api_key !== undefined) {
    issue(['wireless', 'api_key'], 'use wireless.auth_token_file or wireless.api_key + api_secret_file, not both');
  }
  if (w.client_id !== undefined && (w.auth_token_file !== undefined || w.api_key !== undefined)) {
    issue(
      ['wireless', 'client_id'],
      'use one form of credentials: wireless.client_id (KORE) or wireless.account_sid/api_key (Twilio), not both',
    );
  }
}
