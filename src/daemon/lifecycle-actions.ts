import type { RequestAction } from '../bridge/requests.js';
import { LOG_LEVELS } from '../config/log-levels.js';
import type { Logger } from '../util/logger.js';
import { EXIT } from './exit-codes.js';

/**
 * `bridge/request/log_level` `{"level":"debug"}`: changes the level of the daemon's logger at once, and with it every
 * child logger (pino 10 children follow their parent's level unless they set their own, and none here does). The
 * answer is `{old_level, new_level}`. Not persisted: the config file belongs to root and the unit mounts /etc read-only
 * (ProtectSystem=strict), so the next start uses log.level again — which is what a technician chasing one problem wants.
 */
export function logLevelAction(logger: Logger): RequestAction {
  return async (request) => {
    const level = request.level;
    if (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level))
      throw new Error(
        `level: expected one of ${LOG_LEVELS.join(', ')}, got ${level === undefined ? 'nothing' : JSON.stringify(level)}`,
      );
    const old = logger.level;
    // Said at the old level too, so a change to `silent` or `error` still leaves a line saying who turned logging down.
    logger.warn({ old_level: old, new_level: level }, 'log level changed by bridge/request/log_level');
    logger.level = level;
    return { old_level: old, new_level: level, persisted: false };
  };
}

/**
 * `bridge/request/restart`: answers first, then asks the `run` command to stop the daemon in order (the send in
 * flight finishes, bridge/state goes offline, the journal closes) and exit with EXIT.restart, which the systemd unit
 * restarts. The hand-over waits a turn of the event loop, so the answer is already queued on the MQTT client ahead of
 * the offline state the stop publishes.
 */
export function restartAction(requestRestart: (reason: string) => void, logger: Logger): RequestAction {
  let requested = false;
  return async () => {
    if (!requested) {
      requested = true;
      logger.warn(`restart requested by bridge/request/restart: stopping, then exiting ${EXIT.restart}`);
      setImmediate(() => requestRestart('bridge/request/restart'));
    }
    return { restarting: true, exit_code: EXIT.restart };
  };
}
