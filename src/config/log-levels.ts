/**
 * pino's levels, in their own file so that the daemon can check a runtime log level (bridge/request/log_level)
 * without importing the schema, which brings zod into `run` (the config is validated in a child process).
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
