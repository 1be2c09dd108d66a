/**
 * The one error type of the API layer. `status` is the spec's status string
 * (spec 2.1); the mapping to the `{"status","message"}` envelope happens in
 * plugins/envelope.ts and nowhere else.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** Generic status strings that any call may return (spec 2.1). */
export const GENERIC_STATUSES: Record<string, string> = {
  ok: 'The API call was successfully executed and no error has occurred',
  'no-session': 'The request did not include a valid session id, or it contained an invalid or expired id',
  'no-auth': 'The session id included in the request is not authenticated with a valid user or partner',
  'wrong-origin': 'The Origin header does not match the Origin header of the session creation request',
  'wrong-syntax': 'Some element in the request does not match the required element syntax format',
  'missing-element': 'Some mandatory element is missing from the request',
  fail: 'A generic failure has occurred',
};

export const wrongSyntax = (message: string): ApiError => new ApiError('wrong-syntax', message);
export const missingElement = (message: string): ApiError => new ApiError('missing-element', message);
