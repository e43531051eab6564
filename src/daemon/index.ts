/** src/daemon: the composition root. `Daemon` wires config → store → MQTT → modem and stops them in reverse. */

export { InstanceConflictError } from './conflicts.js';
export { Daemon, type DaemonOptions } from './daemon.js';
export { EXIT, type ExitCode } from './exit-codes.js';
