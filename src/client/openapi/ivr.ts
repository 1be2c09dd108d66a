/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface IvrPaths {
  '/api/ivr': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the user's IVRs */
    get: {
      parameters: {
        query?: {
          /** @description number of items, 1...500 */
          count?: string;
          /** @description start time, seconds since epoch */
          from?: string;
          order?: 'asc' | 'desc';
          /** @description UUID of the last item seen (exclusive) */
          start?: string;
          /** @description end time, seconds since epoch */
          to?: string;
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
              ivr: {
                description: string;
                uuid: string;
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
                | 'fail';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Create an IVR */
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
            /** @description an IVR UUID to run, or a phone number to redirect to */
            '*'?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            '#'?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            0?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            1?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            2?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            3?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            4?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            5?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            6?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            7?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            8?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            9?: string;
            /** @description UUID (v1) */
            announcement: string;
            /** @description a user-given description */
            description: string;
            /** @description on an unspecified DTMF: `repeat` or a phone number */
            other?: string;
            timeout?: {
              action: 'repeat' | 'call' | 'play';
              /** @description UUID (v1) */
              announcement?: string;
              /** @description required when action is `call` */
              phone?: string;
              seconds: number;
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
         *     - `wrong-ivr`: the IVR does not exist or does not belong to the user
         *     - `wrong-announcement`: the announcement is not a valid announcement accessible from the user
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
                | 'wrong-ivr'
                | 'wrong-announcement';
              uuid: string;
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
  '/api/ivr/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an IVR exactly as it was sent */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID (v1) */
          uuid: string;
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
         *     - `wrong-ivr`: the IVR does not exist or does not belong to the user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ivr: unknown;
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
                | 'wrong-ivr';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Update an IVR */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description an IVR UUID to run, or a phone number to redirect to */
            '*'?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            '#'?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            0?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            1?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            2?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            3?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            4?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            5?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            6?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            7?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            8?: string;
            /** @description an IVR UUID to run, or a phone number to redirect to */
            9?: string;
            /** @description UUID (v1) */
            announcement: string;
            /** @description a user-given description */
            description: string;
            /** @description on an unspecified DTMF: `repeat` or a phone number */
            other?: string;
            timeout?: {
              action: 'repeat' | 'call' | 'play';
              /** @description UUID (v1) */
              announcement?: string;
              /** @description required when action is `call` */
              phone?: string;
              seconds: number;
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
         *     - `wrong-ivr`: the IVR does not exist or does not belong to the user
         *     - `wrong-announcement`: the announcement is not a valid announcement accessible from the user
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
                | 'wrong-ivr'
                | 'wrong-announcement';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete an IVR */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID (v1) */
          uuid: string;
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
         *     - `wrong-ivr`: the IVR does not exist or does not belong to the user
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
                | 'wrong-ivr';
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
