// The AT modem simulator: a cellular modem in software that real AT software accepts, for tests and the demo.

export type { LogEntry } from './at-log.js';
export type { AtCommand } from './at-parser.js';
export { CellSpecError, DEFAULT_CELL, type SimulatedCell } from './cell.js';
export { type ControlTarget, createControlServer } from './control-api.js';
export { FaultSpecError, type ModemFaults, NO_FAULTS } from './faults.js';
export type { SentSms } from './mo-submit.js';
export type { SimulatedModemOptions } from './modem-core.js';
export type { SimClock } from './modem-host.js';
export { type DeliveryOutcome, InjectError, type InjectedPart, type InjectRequest } from './mt-delivery.js';
export { isProfileName, PROFILE_NAMES, type ProfileName } from './profiles.js';
export { PtyLink, PtyLinkError } from './pty-link.js';
export { type ModemEvents, type ModemState, SimulatedModem } from './simulated-modem.js';
export type { MemoryName, StorageSnapshot } from './sms-storage.js';
export { type ModemSimOptions, type RunningModemSim, startModemSim } from './start.js';
export { TcpModemServer } from './tcp-server.js';
