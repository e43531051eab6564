export { type Clock, sleep, systemClock, type TimerHandle } from './clock.js';
export { callIsolated, emitIsolated } from './emit.js';
export { createLogger, DEFAULT_SECRET_KEYS, type Logger, type LoggerFactoryOptions, silentLogger } from './logger.js';
export { ManualClock } from './manual-clock.js';
export { Mutex } from './mutex.js';
export { type Waiter, Waitress, type WaitressOptions, WaitressTimeoutError } from './waitress.js';
