import type { CliCommand } from './command.js';

/**
 * Every subcommand: its name and summary, said here and nowhere else, and how to load its module. Modules load
 * lazily, so `--help` loads none of them and `run` loads only its own (never SQLite, serialport or MQTT for a light
 * command, nor another command's code). Add a command: one module in src/cli/ exporting `command: CliCommand`, and
 * one entry here.
 */
interface CommandEntry {
  name: string;
  /** One line for `m2m-bridge --help`. */
  summary: string;
  load(): Promise<{ command: CliCommand }>;
}

export const commands: CommandEntry[] = [
  {
    name: 'run',
    summary: 'run the daemon: Commands from the modem to MQTT and replies back',
    load: () => import('./run.js'),
  },
  {
    name: 'simulate',
    summary: 'the zero-hardware demo: simulated modem + API emulator + MQTT broker + the daemon',
    load: () => import('./simulate.js'),
  },
  {
    name: 'doctor',
    summary: 'check the gateway: config, serial port, modem, SIM, network, MQTT, Wireless API',
    load: () => import('./doctor.js'),
  },
  {
    name: 'status',
    summary: 'ask the running daemon for its state: modem, queues, disk use, last errors',
    load: () => import('./status.js'),
  },
  {
    name: 'log-level',
    summary: "change the running daemon's log level at once (over MQTT; until it restarts)",
    load: () => import('./log-level.js'),
  },
  {
    name: 'restart',
    summary: 'ask the running daemon to restart cleanly (over MQTT; systemd starts it again)',
    load: () => import('./restart.js'),
  },
  {
    name: 'history',
    summary: 'list commands received and replies sent, from the journal (read-only)',
    load: () => import('./history.js'),
  },
  {
    name: 'journal',
    summary: 'salvage what can be read from a damaged journal into a new one',
    load: () => import('./journal.js'),
  },
  {
    name: 'at',
    summary: 'interactive AT console (through the daemon while it holds the port)',
    load: () => import('./at.js'),
  },
  {
    name: 'ports',
    summary: 'list serial ports and mark the AT port of known modems',
    load: () => import('./ports.js'),
  },
  {
    name: 'sim',
    summary: "the SIM's PIN and PUK: status, unlock, change-pin (the daemon stopped)",
    load: () => import('./sim.js'),
  },
  { name: 'config', summary: 'check the configuration, or print its JSON schema', load: () => import('./config.js') },
  {
    name: 'pdu',
    summary: 'decode SMS PDUs as modems print them, or encode an SMS-SUBMIT for AT+CMGS',
    load: () => import('./pdu.js'),
  },
  {
    name: 'modem-sim',
    summary: 'run a simulated cellular modem on a pseudo-terminal (and TCP), with a control API',
    load: () => import('./modem-sim.js'),
  },
  {
    name: 'mqtt',
    summary: 'a small MQTT client: sub (print messages) and pub (publish one), for the demo and technicians',
    load: () => import('./mqtt.js'),
  },
  { name: 'sims', summary: 'list the SIMs of the Wireless API account', load: () => import('./sims.js') },
  {
    name: 'commands',
    summary: 'send, list or fetch Commands (Programmable Wireless) and SMS Commands (Super SIM)',
    load: () => import('./commands.js'),
  },
];
