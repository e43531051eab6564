import { afterAll, beforeAll } from 'vitest';
import { MosquittoBroker } from './mosquitto.js';

/**
 * The one Mosquitto of a test file: started before its first test on a free port, closed after its last. Call it at
 * the top level of the file; the broker it returns can be used inside tests and hooks (not at import time).
 */
export function brokerForThisFile(): MosquittoBroker {
  let broker: MosquittoBroker | undefined;
  beforeAll(async () => {
    broker = await MosquittoBroker.start();
  });
  afterAll(async () => {
    await broker?.close();
  });
  return new Proxy({} as MosquittoBroker, {
    get(_target, property) {
      if (!broker) throw new Error('the test broker is used before beforeAll started it');
      const value = Reflect.get(broker, property, broker);
      return typeof value === 'function' ? value.bind(broker) : value;
    },
  });
}
