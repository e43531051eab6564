/**
 * sim_enum_status (Wireless v1), the one list: the client validates `--status` with it and the emulator
 * (device/network) stores and filters with it, so the two cannot drift apart.
 */
export const SIM_STATUSES = [
  'new',
  'ready',
  'active',
  'suspended',
  'deactivated',
  'canceled',
  'scheduled',
  'updating',
] as const;
export type SimStatus = (typeof SIM_STATUSES)[number];
