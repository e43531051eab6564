import { describe, expect, it } from 'vitest';
import { loadSpec, validateErrorBody, validateResponse } from './openapi-validator.js';

// The validator must catch what it is there to catch, or the conformance tests prove nothing.
const wireless = loadSpec('wireless');
const good = {
  sid: 'DC0123456789abcdef0123456789abcdef',
  account_sid: 'AC0123456789abcdef0123456789abcdef',
  sim_sid: 'DE0123456789abcdef0123456789abcdef',
  command: 'hi',
  command_mode: 'text',
  transport: 'sms',
  delivery_receipt_requested: true,
  status: 'queued',
  direction: 'to_sim',
  date_created: '2026-11-27T16:00:00Z',
  date_updated: '2026-11-27T16:00:00Z',
  url: 'https://wireless.twilio.com/v1/Commands/DC0123456789abcdef0123456789abcdef',
};

describe('openapi validator', () => {
  it('accepts a correct Command', () => {
    expect(validateResponse(wireless, 'GET', '/v1/Commands/{Sid}', 200, good)).toEqual([]);
  });

  it('reports a missing field, an unknown field, a bad enum, a bad pattern, a bad date and a wrong type', () => {
    const { direction: _omitted, ...rest } = good;
    const bad = {
      ...rest,
      status: 'done',
      sid: 'XX1',
      date_created: 'yesterday',
      delivery_receipt_requested: 'yes',
      extra: 1,
    };
    const errors = validateResponse(wireless, 'GET', '/v1/Commands/{Sid}', 200, bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.direction: missing',
        '$.extra: not in the spec',
        '$.status: "done" not in enum',
        expect.stringMatching(/^\$\.sid: XX1 !~/),
        '$.date_created: not a date-time: yesterday',
        '$.delivery_receipt_requested: expected boolean, got "yes"',
      ]),
    );
  });

  it('reports an undocumented status code and a malformed error body', () => {
    expect(validateResponse(wireless, 'POST', '/v1/Commands', 200, good)).toEqual([
      'status 200 is not a documented response of POST /v1/Commands',
    ]);
    expect(validateErrorBody({ code: '20003', message: 'x', status: 401 }, 401)).toEqual([
      'code is not a number',
      'more_info is not a URL',
    ]);
  });
});
