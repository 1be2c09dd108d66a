/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface SessionPaths {
  '/api/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Create a new session or confirm an existing one */
    get: {
      parameters: {
        query?: {
          /** @description language identifier */
          language?: 'de' | 'en';
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
         *     - `wrong-origin`: the sid belongs to a session created from another Origin (spec 2.1); the session stays
         *     - `wrong-syntax`: Some element in the request does not match the required element syntax format
         *     - `missing-element`: Some mandatory element is missing from the request
         *     - `fail`: A generic failure has occurred
         *     - `resource-throttle`: excessive resource usage; try again later
         *     - `wrong-session`: the given sid does not map to a known session
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              auth: boolean;
              did: string;
              message?: string;
              next_event: number;
              partner?: string;
              server: string;
              sid: string;
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'resource-throttle'
                | 'wrong-session';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Authenticate a user, a partner or a partner proxy for a user */
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
            email?: string;
            key?: string;
            partner?: string;
            password?: string;
            /** @description UUID (v1) */
            user?: string;
            username?: string;
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
         *     - `wrong-credentials`: username and/or password is wrong/unknown
         *     - `already-auth`: the session is already authenticated
         *     - `wrong-user`: the given user does not exist or does not belong to the partner
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
                | 'wrong-credentials'
                | 'already-auth'
                | 'wrong-user';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Close the session */
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
