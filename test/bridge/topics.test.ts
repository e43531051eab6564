import { describe, expect, it } from 'vitest';
import { topicsFor } from '../../src/bridge/topics.js';

describe('topic map', () => {
  it('derives every contract topic from the base topic', () => {
    const topics = topicsFor('m2m');
    expect(topics.bridgeState).toBe('m2m/bridge/state');
    expect(topics.commandReceived).toBe('m2m/command/received');
    expect(topics.commandSend).toBe('m2m/command/send');
    expect(topics.commandStatus).toBe('m2m/command/status');
    expect(topics.smsRejected).toBe('m2m/sms/rejected');
    expect(topics.modemState).toBe('m2m/modem/state');
    expect(topics.request('modem/restart')).toBe('m2m/bridge/request/modem/restart');
    expect(topics.response('modem/restart')).toBe('m2m/bridge/response/modem/restart');
  });

  it('reads the action back from a request topic, including actions with slashes', () => {
    const topics = topicsFor('site/gw-7');
    expect(topics.actionOf('site/gw-7/bridge/request/health_check')).toBe('health_check');
    expect(topics.actionOf('site/gw-7/bridge/request/modem/restart')).toBe('modem/restart');
    expect(topics.actionOf('site/gw-7/bridge/request/')).toBeNull();
    expect(topics.actionOf('site/gw-7/command/send')).toBeNull();
  });

  it.each(['', 'm2m/#', 'a/+/b', '/m2m', 'm2m/', 'a//b'])('refuses the base topic %j naming the key', (base) => {
    expect(() => topicsFor(base)).toThrow(/mqtt\.base_topic/);
  });
});
