/**
 * The API's error responses, in its shape `{"code","message","more_info","status"}` (FACTS.md). One table, so a code
 * that turns out to differ from the live API is changed in one place.
 *
 * Sources: 20003/20404 (FACTS.md); 33104 "Configuration incomplete: the SIM is not in status active/ready" and 33107
 * "SIM not found", 33118 "Number of Commands exceeded" (twilio.com/docs/api/errors/<code>, Programmable Wireless);
 * 33203 rate plan without messaging (FACTS.md). 20001 is the generic invalid/missing parameter code the v1 APIs
 * answer with ("Missing required parameter X in the post body"); the dictionary entries for over-long or malformed
 * Command bodies could not be verified, so those use 20001 with a message naming the limit.
 */
export const API_ERROR = {
  invalidParameter: { status: 400, code: 20001 },
  authenticate: { status: 401, code: 20003 },
  methodNotAllowed: { status: 405, code: 20004 },
  notFound: { status: 404, code: 20404 },
  simNotActive: { status: 400, code: 33104 },
  simNotFound: { status: 400, code: 33107 },
  tooManyQueued: { status: 400, code: 33118 },
  messagingDisabled: { status: 400, code: 33203 },
} as const;

type ApiErrorKind = keyof typeof API_ERROR;

/** Thrown by handlers; the server turns it into the JSON error response. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: number;

  constructor(kind: ApiErrorKind, message: string) {
    super(message);
    this.status = API_ERROR[kind].status;
    this.code = API_ERROR[kind].code;
  }

  toBody() {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

export const missingParameter = (name: string) =>
  new ApiError('invalidParameter', `Missing required parameter ${name} in the post body`);

export const invalidParameter = (name: string, why: string) =>
  new ApiError('invalidParameter', `Invalid parameter ${name}: ${why}`);
