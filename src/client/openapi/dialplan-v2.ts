/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface DialplanV2Paths {
  '/api/dialplan/v2': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the user's dialplans */
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
              dialplan: {
                description?: string;
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
    /** Create a dialplan */
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
            dialplan: {
              /** @description a short description */
              description?: string;
              /** @description evaluated first to last */
              profiles?: {
                cyclic?: {
                  targets: {
                    target: string;
                    /** @description seconds; lower than 1 rings until the network gives up */
                    timeout?: number;
                  }[];
                  /** @description seconds; lower than 1 rings until the network gives up */
                  timeout?: number;
                };
                filter?: {
                  /** @description RE2 regular expression */
                  caller?: string;
                  time?: {
                    /** @description dd.MM.yyyy */
                    date?: string;
                    /** @description dd.MM.yyyy */
                    date_end?: string;
                    /** @description dd.MM.yyyy */
                    date_start?: string;
                    /** @description hh:mm (UTC) */
                    time_end?: string;
                    /** @description hh:mm (UTC) */
                    time_start?: string;
                    weekdays?: ('MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN')[];
                  };
                };
                linear?: {
                  targets: {
                    target: string;
                    /** @description seconds; lower than 1 rings until the network gives up */
                    timeout?: number;
                  }[];
                  /** @description seconds; lower than 1 rings until the network gives up */
                  timeout?: number;
                };
                parallel?: {
                  targets: string[];
                  /** @description seconds; lower than 1 rings until the network gives up */
                  timeout?: number;
                };
                record?: {
                  /** @description UUID (v1) */
                  announcement?: string;
                };
                reject?: Record<string, never>;
              }[];
              ringtone?: {
                /** @description UUID (v1) */
                announcement?: string;
                mix?: boolean;
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
         *     - `wrong-announcement`: this announcement is not a valid announcement accessible from the user
         *     - `wrong-sip`: a SIP target is not one of the user’s SIP accounts
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
                | 'wrong-announcement'
                | 'wrong-sip';
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
  '/api/dialplan/v2/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a dialplan exactly as it was sent */
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
         *     - `wrong-dialplan`: the UUID does not match a dialplan accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              dialplan: unknown;
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
                | 'wrong-dialplan';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify a dialplan */
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
            dialplan: {
              /** @description a short description */
              description?: string;
              /** @description evaluated first to last */
              profiles?: {
                cyclic?: {
                  targets: {
                    target: string;
                    /** @description seconds; lower than 1 rings until the network gives up */
                    timeout?: number;
                  }[];
                  /** @description seconds; lower than 1 rings until the network gives up */
                  timeout?: number;
                };
                filter?: {
                  /** @description RE2 regular expression */
                  caller?: string;
                  time?: {
                    /** @description dd.MM.yyyy */
                    date?: string;
                    /** @description dd.MM.yyyy */
                    date_end?: string;
                    /** @description dd.MM.yyyy */
                    date_start?: string;
                    /** @description hh:mm (UTC) */
                    time_end?: string;
                    /** @description hh:mm (UTC) */
                    time_start?: string;
                    weekdays?: ('MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN')[];
                  };
                };
                linear?: {
                  targets: {
                    target: string;
                    /** @description seconds; lower than 1 rings until the network gives up */
                    timeout?: number;
                  }[];
                  /** @description seconds; lower than 1 rings until the network gives up */
                  timeout?: number;
                };
                parallel?: {
                  targets: string[];
                  /** @description seconds; lower than 1 rings until the network gives up */
                  timeout?: number;
                };
                record?: {
                  /** @description UUID (v1) */
                  announcement?: string;
                };
                reject?: Record<string, never>;
              }[];
              ringtone?: {
                /** @description UUID (v1) */
                announcement?: string;
                mix?: boolean;
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
         *     - `wrong-dialplan`: the UUID does not match a dialplan accessible by the current user
         *     - `wrong-announcement`: this announcement is not a valid announcement accessible from the user
         *     - `wrong-sip`: a SIP target is not one of the user’s SIP accounts
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
                | 'wrong-dialplan'
                | 'wrong-announcement'
                | 'wrong-sip';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete a dialplan (and remove it from the phones using it) */
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
         *     - `wrong-dialplan`: the UUID does not match a dialplan accessible by the current user
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
                | 'wrong-dialplan';
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
