import type { InboundInput, ReplyInput } from '../../src/store/index.js';

/** Inputs the journal contract suites record: a command from 2936 and a one-part text reply to it. */
export const command = (key: string, overrides: Partial<InboundInput> = {}): InboundInput => ({
  key,
  kind: 'command',
  sender: '2936',
  payload: JSON.stringify({ id: key, body: `body of ${key}` }),
  publish: true,
  ...overrides,
});

export const reply = (overrides: Partial<ReplyInput> = {}): ReplyInput => ({
  transaction: 't-1',
  destination: '2936',
  mode: 'text',
  body: 'pong',
  parts: 1,
  ...overrides,
});
