/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface PartnerUsergroup3Paths {
  '/api/partner/usergroup/{uuid}/user': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the users of a usergroup */
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
         *     - `wrong-usergroup`: the given usergroup uuid does not exist or does not belong to the partner
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
                | 'wrong-usergroup';
              usergroup: {
                users: string[];
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Add users to or delete them from a usergroup */
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
            users: {
              add?: string[];
              delete?: string[];
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
         *     - `wrong-usergroup`: the given usergroup uuid does not exist or does not belong to the partner
         *     - `wrong-user`: at least one of the users listed does not exist or does not belong to the partner
         *     - `already-grouped`: at least one of the users listed in add is already in another usergroup
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
                | 'wrong-usergroup'
                | 'wrong-user'
                | 'already-grouped';
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
  '/api/partner/usergroup/{uuid}/zonefilter': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the zone filter of a usergroup */
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
         *     - `wrong-usergroup`: the given usergroup uuid does not exist or does not belong to the partner
         *     - `empty-filter`: the given usergroup does not have a zone filter
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
                | 'wrong-usergroup'
                | 'empty-filter';
              /** @description up to 250 entries; cost in credits per minute; prefix "" matches every number */
              zonefilter: {
                cost: number;
                description?: string;
                prefix: string[];
              }[];
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Set the zone filter of a usergroup */
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
            zonefilter: unknown;
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
         *     - `wrong-usergroup`: the given usergroup uuid does not exist or does not belong to the partner
         *     - `too-large`: the given zone filter exceeds the limit of 250 entries
         *     - `empty-filter`: the given zone filter has no entry
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
                | 'wrong-usergroup'
                | 'too-large'
                | 'empty-filter';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete the zone filter of a usergroup */
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
         *     - `wrong-usergroup`: the given usergroup uuid does not exist or does not belong to the partner
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
                | 'wrong-usergroup';
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
  '/api/partner/usergroup/credit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the credits of the partner's usergroups, optionally within min...max */
    get: {
      parameters: {
        query?: {
          /** @description only usergroups with at most max credits (>= 0, > min) */
          max?: string;
          /** @description only usergroups with at least min credits (>= 0, < max) */
          min?: string;
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
              credits: {
                [key: string]: number;
              };
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
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
