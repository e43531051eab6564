/**
 * Super SIM IP Commands (twilio_supersim_v1.json, IpCommand `payload`): "The payload should not exceed 1300 bytes",
 * both to and from the SIM. A device sends an IP Command by sending a UDP datagram to the special address 100.64.0.1;
 * the vendor's sample uses port 6969 both ways (README, "IP Commands": the port rule, and what could not be confirmed).
 */
export const MAX_IP_COMMAND_BYTES = 1300;
export const DEFAULT_MO_ADDRESS = '100.64.0.1';
export const DEFAULT_IP_COMMAND_PORT = 6969;
