/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface CallPaths {
  '/api/call': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get details of the current user's calls within the call API
     * @description `state=active` (default): ongoing calls; `state=hangup`: finished calls (kept in the database). `uuid` returns that call alone, whatever its state.
     */
    get: {
      parameters: {
        query?: {
          count?: string;
          from?: string;
          order?: 'asc' | 'desc';
          /** @description UUID (v1) */
          start?: string;
          state?: 'active' | 'hangup';
          to?: string;
          /** @description UUID (v1) */
          uuid?: string;
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
              call: {
                [key: string]: {
                  answer_time?: number;
                  bridge?: string;
                  clip?: string;
                  clir: boolean;
                  create_time: number;
                  current_control_id?: string;
                  from: string;
                  /** @description Q.850 cause */
                  hangup_cause?: number;
                  hangup_time?: number;
                  incoming: boolean;
                  last_control_id?: string;
                  record_on: boolean;
                  recording?: string;
                  /** @description init, calling, progress, ringing, answered, hangup */
                  status: string;
                  to: string;
                };
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
  '/api/call/{uuid}/control': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Execute one or more actions on the call via the call API
     * @description `queue`: `append` (default) adds the controls after those queued, `clear` replaces the queued ones, `break` also interrupts the running control. The whole list is checked against the state the controls before each lead to. An incoming call that gets no control within CALL_API_IDLE_S seconds (default 30) is rejected with Q.850 cause 102 (recovery on timer expiry). Beyond the spec: an `Idempotency-Key` header (1...255 printable ASCII characters) makes the request idempotent. The first request with a key runs; a retry with the same key by the same user within 24 hours, on any API node, gets the first answer (the same uuid, or the same status) and starts nothing new. A retry that arrives while the first request still runs waits for its answer.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description see the description: retries within 24 h */
          'idempotency-key'?: string;
        };
        path: {
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            controls: ({
              /** @description ring, progress, answer, hangup, bridge, split, sleep, silence, tone, play, record_start, record_stop, dtmf_collect, dtmf_send */
              control: string;
              id?: string;
            } & {
              [key: string]: unknown;
            })[];
            queue?: 'append' | 'clear' | 'break';
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
         *     - `illegal-state`: The given control does not match the current call state
         *     - `wrong-call`: The given call uuid is unknown
         *     - `wrong-object`: Only for control play: the given announcement or recording UUID is invalid
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
                | 'illegal-state'
                | 'wrong-call'
                | 'wrong-object';
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
  '/api/call/dial': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create an outgoing call within the call API
     * @description The call starts in status `init` and passes the call filter (service `call_api`), the call limit and the credit check of every carrier call; a refusal ends it (a call_update with status `hangup` and its Q.850 cause). Beyond the spec: an `Idempotency-Key` header (1...255 printable ASCII characters) makes the request idempotent. The first request with a key runs; a retry with the same key by the same user within 24 hours, on any API node, gets the first answer (the same uuid, or the same status) and starts nothing new. A retry that arrives while the first request still runs waits for its answer.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description see the description: retries within 24 h */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description an arbitrary phone number for display (CLIP) */
            clip?: string;
            /** @description default false; true restricts the presentation (CLIR) */
            clir?: boolean;
            /** @description the calling phone number, one of the current user's numbers */
            from: string;
            /** @description the destination phone number */
            to: string;
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
         *     - `wrong-phone`: The given `from` number does not match any of the user's phone numbers
         *     - `locked-phone`: The given `from` number is not unlocked yet
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
                | 'wrong-phone'
                | 'locked-phone';
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
  '/api/call/event': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Subscribe the session to the call API events */
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
    /** Cancel the call API event subscription */
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
