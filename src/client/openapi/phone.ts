/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface PhonePaths {
  '/api/phone': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the current user's phone numbers */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /**
         * @description Status strings:
         *     - `ok`: The API call was successfully executed and no error has occurred
         *     - `no-session`: The request did not include a valid session id, or it contained an invalid or expired id
         *     - `no-auth`: The session id included in the request is not authenticated with a valid user or partner
         *     - `wrong-origin`: The Origin header does not match the Origin header of the session creation request
         *     - `wrong-syntax`: Some element in the request does not match the required element syntax format
         *     - `missing-element`: Some mandatory element is missing from the request
         *     - `fail`: A generic failure has occurred
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              phone: {
                [key: string]: {
                  announcement?: {
                    description: string;
                    uuid: string;
                  };
                  dialplan?: string;
                  ivr?: string;
                  on_hold_music: string | null;
                  partner?: string;
                  unlock_code?: string;
                } & {
                  [key: string]: boolean;
                };
              };
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Create, modify and delete the current user's phone numbers */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description take a new number from the pool of the user's area code */
            create?: boolean;
            delete?: string[];
            update?: {
              [key: string]: {
                /** @description announcement UUID; leaving it out deletes an existing binding (spec 3.9) */
                announcement?: string | (never | null);
                /** @description default false; works only if it is the only switch on */
                call_enable?: boolean;
                /** @description default true */
                conference_enable?: boolean;
                /** @description dialplan v2 UUID, or null to disable dialplan v2 */
                dialplan?: string | (never | null);
                /** @description default false; takes priority over the other switches */
                dialplan_enable?: boolean;
                /** @description default true */
                fax_enable?: boolean;
                /** @description IVR UUID, or null to remove it */
                ivr?: string | (never | null);
                /** @description default false */
                notification_attachment?: boolean;
                /** @description default false */
                notification_email?: boolean;
                /** @description announcement UUID, or null */
                on_hold_music?: string | (never | null);
                /** @description default false: no message is recorded */
                play_announcement_only?: boolean;
                /** @description default true */
                recording_enable?: boolean;
              };
            };
          };
        };
      };
      responses: {
        /**
         * @description Status strings:
         *     - `ok`: The API call was successfully executed and no error has occurred
         *     - `no-session`: The request did not include a valid session id, or it contained an invalid or expired id
         *     - `no-auth`: The session id included in the request is not authenticated with a valid user or partner
         *     - `wrong-origin`: The Origin header does not match the Origin header of the session creation request
         *     - `wrong-syntax`: Some element in the request does not match the required element syntax format
         *     - `missing-element`: Some mandatory element is missing from the request
         *     - `fail`: A generic failure has occurred
         *     - `pool-depleted`: no more numbers are available in the user's area code
         *     - `address-missing`: the user has no area code (address) yet
         *     - `phone-limit`: the user holds the maximum number of phone numbers
         *     - `wrong-phone`: a number in the update or delete section does not belong to the user
         *     - `wrong-announcement`: the announcement does not exist or is not accessible
         *     - `wrong-dialplan`: the dialplan does not exist or is not accessible
         *     - `wrong-ivr`: the IVR does not exist or is not accessible
         *     - `concurrent-access`: another request creates a number for this user
         *     - `phone-forbidden`: the user may not create phone numbers
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'pool-depleted'
                | 'address-missing'
                | 'phone-limit'
                | 'wrong-phone'
                | 'wrong-announcement'
                | 'wrong-dialplan'
                | 'wrong-ivr'
                | 'concurrent-access'
                | 'phone-forbidden';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
