/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface PartnerCdrPaths {
  '/api/partner/cdr/{phone}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the call detail records of a phone number of the partner */
    get: {
      parameters: {
        query?: {
          /** @description number of CDRs, 1...5000, default 10 */
          count?: string;
          /** @description start time, seconds since epoch */
          from?: string;
          order?: 'asc' | 'desc';
          /** @description id of the CDR before the first one returned (exclusive) */
          start?: string;
          /** @description end time, seconds since epoch */
          to?: string;
        };
        header?: never;
        path: {
          /** @description the phone number (E.164, `+` literal or as %2B) or SIP account */
          phone: string;
        };
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
         *     - `wrong-phone`: The given phone number was not assigned by the partner or does not exist
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              cdr: {
                /** @description incoming calls: the calling number or SIP account */
                a_number?: string;
                /** @description outgoing calls: the called number or SIP account */
                b_number?: string;
                /** @description UUID (v1) */
                conference_id?: string;
                /** @description when the call was initiated, ms since epoch */
                date: number;
                /** @description UUID (v1) */
                fax_id?: string;
                /** @description UUID (v1) */
                id: string;
                /** @description fax: pages sent or received */
                page_count?: number;
                /** @description UUID (v1) */
                parent?: string;
                /** @description the number (or SIP account) the CDR is filed under */
                phone: string;
                /** @description UUID (v1) */
                recording_id?: string;
                /** @description UUID (v1) */
                root?: string;
                service:
                  | 'call'
                  | 'conference'
                  | 'fax'
                  | 'blf_pickup'
                  | 'call_through'
                  | 'call_reverse'
                  | 'call_back';
                /** @description seconds after answer */
                t_post: number;
                /** @description seconds before answer */
                t_pre: number;
              }[];
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
                | 'wrong-phone';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/partner/cdr/event': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Subscribe the session to the partner's CDR events (split between subscribed sessions) */
    get: {
      parameters: {
        query?: {
          /** @description seconds, 1...36000, default 3600 */
          timeout?: string;
        };
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
    post?: never;
    /** Cancel the CDR event subscription */
    delete: {
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
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
