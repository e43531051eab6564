import { isRegistered, type Registration } from './parsers/network.js';
import type { RegistrationDomain } from './urcs.js';

/**
 * Registration as the URCs of each domain report it. SMS goes over the circuit-switched domain (+CREG) or, on an
 * LTE-only modem, over the EPS domain (+CEREG; SMS over SGs/IMS), so the modem counts as registered when either is:
 * the same rule as the poll (status.ts). +CGREG (packet-switched only) is kept for what it says but never decides.
 */
export class RegistrationByDomain {
  private readonly latest = new Map<RegistrationDomain, Registration>();

  /** A URC (or a poll) said `registration` for `domain`; returns what the modem's registration is now. */
  update(domain: RegistrationDomain, registration: Registration): Registration {
    this.latest.set(domain, registration);
    return this.current() ?? registration;
  }

  /** A poll replaced everything the URCs said (a URC may have been lost on the line). */
  reset(): void {
    this.latest.clear();
  }

  current(): Registration | undefined {
    const cs = this.latest.get('creg');
    const eps = this.latest.get('cereg');
    if (isRegistered(cs)) return cs;
    if (isRegistered(eps)) return eps;
    return cs ?? eps;
  }
}
