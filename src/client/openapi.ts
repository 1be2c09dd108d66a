/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when this file and the served description differ.
 */
export interface paths {
  '/api/announcement': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a new announcement (extension: not in the spec; shaped like POST /api/fax)
     * @description The spec has no call that creates an announcement; this one answers `{"uuid": ...}` like POST /api/fax (spec 3.13). The new announcement has status `empty` until contents are uploaded or spoken by text2speech.
     */
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
            /** @description a short description */
            description?: string;
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
              /** @description UUID (v1) */
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
  '/api/announcement/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get information about announcement uuid */
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
         *     - `wrong-announcement`: The given UUID does not match an announcement accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              announcement: {
                description?: string;
                /** @description UUID (v1) */
                owner: string;
                /** @enum {string} */
                status: 'record' | 'ok' | 'convert' | 'empty' | 'fail';
                tag: string[];
                /** @description creation time, seconds since the epoch */
                time: number;
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
                | 'fail'
                | 'wrong-announcement';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify announcement uuid */
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
            /** @description a short description */
            description?: string;
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
         *     - `wrong-announcement`: The given UUID does not match an announcement accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the announcement (at least write privileges are required)
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
                | 'access-denied';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete announcement uuid (to the trash, or permanently with purge) */
    delete: {
      parameters: {
        query?: {
          /** @description if present: delete permanently */
          purge?: string;
        };
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
         *     - `wrong-announcement`: The given UUID does not match an announcement accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the announcement (at least write privileges are required)
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
                | 'access-denied';
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
  '/api/announcement/{uuid}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the announcement contents as WAV (`xxx.wav`, 8 kHz mono 16-bit) or Ogg Vorbis (`xxx.ogg`)
     * @description `xxx` is an arbitrary name. Only contents with status `ok` exist; anything else answers HTTP 404 without a body. Accepts did + dkey (spec 2.3).
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description xxx.wav or xxx.ogg */
          file: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the contents: audio/wav for xxx.wav, audio/ogg for xxx.ogg */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'audio/ogg': string;
            'audio/wav': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    /**
     * Upload the announcement uuid in WAV (`xxx.wav`) or Ogg Vorbis (`xxx.ogg`) format (raw body)
     * @description Any sample rate and channel count; the contents are converted to 8 kHz mono 16-bit for telephony and to Ogg Vorbis for downloads. The answer comes once the file is known to be decodable audio; the conversion follows (status `convert`, then `announcement_convert`).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description xxx.wav or xxx.ogg */
          file: string;
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
         *     - `wrong-announcement`: The given UUID does not match an announcement accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the announcement (at least write privileges are required)
         *     - `too-large`: The contents are too large to be handled by the system (over 20971520 bytes)
         *     - `malformed-file`: The content is malformed.
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
                | 'access-denied'
                | 'too-large'
                | 'malformed-file';
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
  '/api/announcement/{uuid}/text2speech': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set the announcement uuid from text (text to speech) */
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
            /**
             * @description optional, default de-DE: the language of text
             * @enum {string}
             */
            locale?: 'de-DE' | 'en-GB' | 'en-US' | 'es-ES' | 'fr-FR' | 'it-IT';
            /** @description the text of this announcement */
            text: string;
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
         *     - `wrong-announcement`: The given UUID does not match an announcement accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the announcement (at least write privileges are required)
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
                | 'access-denied';
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
  '/api/conference': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a new conference object
     * @description The new conference carries tag_all (event object_new).
     */
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
            /** @description if true, participants can join the conference */
            active: boolean;
            /** @description a short description of this conference */
            description?: string;
            /** @description if true, participants joining are muted by default */
            mute_default?: boolean;
            /** @description the authentication code (PIN) to access the conference */
            pin: string;
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
         *     - `duplicate-pin`: The PIN is already assigned to another conference object of this user
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
                | 'duplicate-pin';
              /** @description UUID (v1) */
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
  '/api/conference/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get information about conference uuid
     * @description `phone` lists the numbers of the owner whose calls reach the conference (spec 3.9 `conference_enable`, and no dialplan, call API, IVR or pending unlock code taking the call).
     */
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
         *     - `wrong-conference`: The given UUID does not match a conference accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              conference: {
                active: boolean;
                description?: string;
                mute_default: boolean;
                /** @description UUID (v1) */
                owner: string;
                phone: string[];
                pin: string;
                tag: string[];
                /** @description creation time, seconds since the epoch */
                time: number;
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
                | 'fail'
                | 'wrong-conference';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify the conference uuid (all fields optional) */
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
            /** @description if true, participants can join the conference */
            active?: boolean;
            /** @description a short description of this conference */
            description?: string;
            /** @description if true, participants joining are muted by default */
            mute_default?: boolean;
            /** @description the authentication code (PIN) to access the conference */
            pin?: string;
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
         *     - `wrong-conference`: The given UUID does not match a conference accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the conference (at least write privileges are required)
         *     - `duplicate-pin`: The PIN is already assigned to another conference object of this user
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
                | 'wrong-conference'
                | 'access-denied'
                | 'duplicate-pin';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /**
     * Delete conference uuid (into the trash, or permanently with purge)
     * @description A live conference ends: its participants are disconnected.
     */
    delete: {
      parameters: {
        query?: {
          /** @description if present: delete permanently */
          purge?: string;
        };
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
         *     - `wrong-conference`: The given UUID does not match a conference accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the conference (at least write privileges are required)
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
                | 'wrong-conference'
                | 'access-denied';
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
  '/api/conference/{uuid}/event': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Subscribe the session to the event channel of a conference
     * @description `busy` is true while the conference has participants; the session then gets a `conference_status` event at once, and `conference_update` / `conference_join` / `conference_leave` as things change (spec 7.11).
     */
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
         *     - `wrong-conference`: The given UUID does not match a conference accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              busy: boolean;
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
                | 'wrong-conference';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Cancel the session's subscription to a conference's events */
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
         *     - `wrong-conference`: The given UUID does not match a conference accessible by the current user
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
                | 'wrong-conference';
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
  '/api/conference/{uuid}/member': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Modify conference member state (update) and kick members (delete)
     * @description Delivered to the telephony node that mixes the conference. Volume steps are 3 dB (-4: -12 dB ... 4: +12 dB). Members that already left are skipped.
     */
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
            delete?: string[];
            update?: {
              [key: string]: {
                deaf?: boolean;
                mute?: boolean;
                /** @description UUID (v1) */
                user?: string;
                /** @description -4 ... 4, 0 is the default level */
                volume_in?: number;
                /** @description -4 ... 4, 0 is the default level */
                volume_out?: number;
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
         *     - `conference-offline`: The conference is currently offline, so the action cannot be delivered
         *     - `wrong-conference`: The given UUID does not match a conference accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the conference (at least write privileges are required)
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
                | 'conference-offline'
                | 'wrong-conference'
                | 'access-denied';
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
  '/api/dialplan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the user's dialplan */
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
    /** Modify the user's dialplan */
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
            action?: 'none' | 'redirect' | 'reject' | 'sip' | 'record';
            /** @description announcement played while connecting; "" deletes it */
            announcement?: string;
            busy?: {
              action: 'none' | 'redirect' | 'reject' | 'sip' | 'record';
              /** @description phone number in E.164 format */
              phone?: string;
              /** @description SIP account of the user */
              sip?: string;
            };
            callreverse_enable?: boolean;
            /** @description custom CLIP number; "" deletes it */
            clip_number?: string;
            clir_enable?: boolean;
            /** @description the user's number that receives callback calls; "" deletes it */
            cti_via?: string;
            /** @description prefix for quick dialing; "" deletes it */
            dial_prefix?: string;
            mix_ringtone?: boolean;
            /** @description target of action redirect; "" deletes it */
            phone?: string;
            phone_pool?: {
              add?: {
                [key: string]: boolean;
              };
              delete?: string[];
            };
            /** @description target of action sip; "" deletes it */
            sip?: string;
            sip_pool?: {
              add?: string[];
              delete?: string[];
            };
            timeout?: {
              action: 'redirect' | 'reject' | 'sip' | 'record';
              /** @description phone number in E.164 format */
              phone?: string;
              /** @description SIP account of the user */
              sip?: string;
              /** @description seconds */
              timeout: number;
            };
            unavailable?: {
              action: 'redirect' | 'reject' | 'sip' | 'record';
              /** @description phone number in E.164 format */
              phone?: string;
              /** @description SIP account of the user */
              sip?: string;
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
         *     - `wrong-announcement`: the announcement is not accessible by the current user
         *     - `wrong-sip`: the SIP account is not one of the current user's SIP accounts
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
  '/api/dialplan/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Initiate a callback call (via cti_via) */
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
            /** @description the originating number */
            from: string;
            /** @description the destination */
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
         *     - `wrong-phone`: from is not one of the user's numbers with dialplan_enable set
         *     - `no-via`: no cti_via is set in the user's dialplan
         *     - `access-denied`: the user may not use the callback feature
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
                | 'no-via'
                | 'access-denied';
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
  '/api/dialplan/callreverse': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set the filter of the ongoing call-reverse process */
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
            /** @description the caller to connect */
            filter: string;
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
         *     - `no-callreverse`: there is no active call-reverse process
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
                | 'no-callreverse';
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
  '/api/dialplan/callthrough': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start (or, without phone, clear) a call-through process */
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
            /** @description the caller that triggers the call-through */
            filter?: string;
            /** @description the target to connect */
            phone?: string;
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
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
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
  '/api/event': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get pending events of the session; blocks until one arrives or the timeout passes */
    get: {
      parameters: {
        query?: {
          /** @description id of the next event wanted (default 0) */
          next?: string;
          /** @description seconds, 0...300, default 55 */
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
         *     - `timeout`: the timeout passed before an event arrived
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              event: {
                [key: string]: unknown;
              }[];
              message?: string;
              next: number;
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'timeout';
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
  '/api/event/filter': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Attach a filter to the session's event stream */
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
            op: string;
          } & {
            [key: string]: unknown;
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
    /** Remove the session's event filter */
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
  '/api/event/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Session events as Server-Sent Events (extension); resume with Last-Event-ID or next */
    get: {
      parameters: {
        query?: {
          /** @description id of the next event wanted (default 0) */
          next?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/event/ws': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Session events over a WebSocket (extension); one JSON event per message
     * @description Upgrade with `Connection: Upgrade`, `Upgrade: websocket` (RFC 6455). The server then sends each event of the session as one text message, a JSON object like an entry of `GET /api/event` (`id`, `event`, `time` and the event fields), from `next` on (or after the id in `Last-Event-ID`), and pings when idle. The client sends nothing; closing the socket ends the stream. Authenticate with the sid as for every call (header, cookie or `sid` parameter, the only choice for browsers).
     */
    get: {
      parameters: {
        query?: {
          /** @description id of the next event wanted (default 0) */
          next?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Switching Protocols: the WebSocket stream of events */
        101: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
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
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/fax': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a new fax object
     * @description The new fax has status `empty` and carries tag_all and tag_outbox (event object_new).
     */
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
            /** @description a short description of this fax */
            description?: string;
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
              /** @description UUID (v1) */
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
  '/api/fax/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get information about fax uuid
     * @description `page_count`, `x_res` and `y_res` show only while the fax has contents (status `ok`). `report` is keyed by fax report UUID and ordered by time.
     */
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
         *     - `wrong-fax`: The given UUID does not match a fax accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fax: {
                [key: string]: unknown;
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
                | 'fail'
                | 'wrong-fax';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify fax uuid */
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
            /** @description a short description of this fax */
            description?: string;
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
         *     - `wrong-fax`: The given UUID does not match a fax accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the fax (at least write privileges are required)
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
                | 'wrong-fax'
                | 'access-denied';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete the fax uuid (into the trash, or permanently with purge) */
    delete: {
      parameters: {
        query?: {
          /** @description if present: delete permanently */
          purge?: string;
        };
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
         *     - `wrong-fax`: The given UUID does not match a fax accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the fax (at least write privileges are required)
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
                | 'wrong-fax'
                | 'access-denied';
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
  '/api/fax/{uuid}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get contents of fax uuid as PDF (xxx.pdf) or as TIFF-F (xxx.tif)
     * @description Accepts did + dkey with the fax UUID (spec 2.3). HTTP 404 without a body on failure.
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline, else attachment */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description xxx.pdf or xxx.tif: a file name chosen by the user agent */
          file: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the file (image/tiff) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/tiff': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    /**
     * Post fax uuid contents in PDF format (raw PDF body)
     * @description The PDF is checked at once (not a PDF, encrypted or without pages: malformed-file), stored, and converted to a 1728-pixel-wide TIFF-F at 204x196 dpi by the media worker: status `convert`, then `ok` or `fail` with the event fax_convert.
     */
    post: {
      parameters: {
        query?: {
          /** @description photo: dithered instead of black and white */
          mode?: 'photo';
          /** @description landscape: pages are turned 90 degrees */
          orientation?: 'landscape';
        };
        header?: never;
        path: {
          /** @description xxx.pdf: a file name chosen by the user agent, ending in .pdf */
          file: string;
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
         *     - `wrong-fax`: The given UUID does not match a fax accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the fax (at least write privileges are required)
         *     - `wrong-state`: The contents of this fax cannot be changed, because it is an incoming fax or because it was already transmitted to some destination
         *     - `too-large`: The contents are too large to be handled by the system (over 20971520 bytes)
         *     - `malformed-file`: The content is malformed (not a PDF, encrypted, or without pages)
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
                | 'wrong-fax'
                | 'access-denied'
                | 'wrong-state'
                | 'too-large'
                | 'malformed-file';
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
  '/api/fax/{uuid}/page/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a page of fax uuid in PNG format (page/N.png, or page/xxx.png?page=N)
     * @description Accepts did + dkey with the fax UUID (spec 2.3). HTTP 404 without a body on failure.
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline, else attachment */
          inline?: string;
          /** @description the page number, from 1 (default 1) */
          page?: string;
        };
        header?: never;
        path: {
          /** @description N.png or xxx.png: a file name chosen by the user agent, ending in .png */
          file: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the file (image/png) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/png': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/fax/{uuid}/page/{page}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get page N (from 1) of fax uuid in PNG format
     * @description Accepts did + dkey with the fax UUID (spec 2.3). HTTP 404 without a body on failure.
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline, else attachment */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description xxx.png: a file name chosen by the user agent, ending in .png */
          file: string;
          /** @description the page number, from 1 */
          page: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the file (image/png) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/png': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/fax/{uuid}/report/{report}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the fax sender report of fax uuid and fax report report in PDF format
     * @description Accepts did + dkey with the report UUID (spec 2.3). HTTP 404 without a body on failure.
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline, else attachment */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description xxx.pdf: a file name chosen by the user agent, ending in .pdf */
          file: string;
          /** @description UUID (v1) */
          report: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the file (application/pdf) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/fax/{uuid}/send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send the fax uuid out to a destination (queue fax transmission)
     * @description Creates an outgoing report in status `dial` (event fax_report) and queues the transmission; the report then walks transmit -> ok / fail / busy / cancel / error, with retries after busy, no answer or a line failure (FAX_RETRIES, FAX_RETRY_DELAYS). Returns the report UUID.
     */
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
            /** @description a header line printed on top of each page; the user's by default */
            fax_header?: string;
            /** @description the transmitting station ID (TSI); the user's by default */
            fax_ident?: string;
            /** @description one of the user's unlocked phone numbers */
            from: string;
            /** @description the destination */
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
         *     - `wrong-fax`: The given UUID does not match a fax accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the fax (at least write privileges are required)
         *     - `wrong-phone`: The phone number in the from field does not match one of the user's phone numbers
         *     - `locked-phone`: The phone number in the from field has not yet been unlocked
         *     - `quota-exceeded`: The send operation would exceed the user's quota
         *     - `no-content`: The fax does not have any content to be sent
         *     - `forbidden-to`: Sending to this number is not allowed for this account
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
                | 'wrong-fax'
                | 'access-denied'
                | 'wrong-phone'
                | 'locked-phone'
                | 'quota-exceeded'
                | 'no-content'
                | 'forbidden-to';
              /** @description UUID (v1) */
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
  '/api/language': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the supported languages */
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
              language: string[];
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
  '/api/object/{uuid}/metadata': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the metadata of an object */
    get: {
      parameters: {
        query?: {
          /** @description optional: a domain to retrieve metadata for all keys under this domain (not the domain key itself) */
          domain?: string;
          /** @description optional: a comma-separated list of metadata keys to get information for */
          keys?: string;
        };
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
         *     - `wrong-object`: The given UUID does not match an object accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              metadata: {
                [key: string]: unknown;
              };
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'wrong-object';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify or delete metadata of an object */
    post: {
      parameters: {
        query?: {
          /** @description optional: if present, don't generate an event */
          noevent?: string;
          /** @description optional: if present, don't store the metadata permanently (event only) */
          nostore?: string;
        };
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
            /** @description keys to delete */
            delete?: string[];
            /** @description keys to add or modify; any valid JSON value of at most 100 KB */
            update?: {
              [key: string]: unknown;
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
         *     - `wrong-object`: The given UUID does not match an object accessible by the current user
         *     - `too-large`: At least one metadata value is too big (100 KB maximum)
         *     - `access-denied`: The user does not have at least write privileges on the object
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
                | 'wrong-object'
                | 'too-large'
                | 'access-denied';
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
  '/api/object/{uuid}/tag': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Modify tag attachments of an object */
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
            /** @description tags to attach */
            add?: string[];
            /** @description tags to detach */
            delete?: string[];
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
         *     - `wrong-object`: The given UUID does not match an object accessible by the current user
         *     - `wrong-tag`: One of the given UUIDs does not match a tag accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the object, or the object is in the trash and the request does something else than remove the trash tag
         *     - `already-tag`: A tag listed in the `add` section is already attached to the object
         *     - `no-tag`: A tag listed in the `delete` section is not attached to the object
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
                | 'wrong-object'
                | 'wrong-tag'
                | 'access-denied'
                | 'already-tag'
                | 'no-tag';
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
  '/api/partner/callfilter/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a user's call filter */
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
         *     - `empty-filter`: the given user does not have a call filter
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description an array of operators (replace, match, service) and nested arrays, or one operator; at most 250 operators (spec 9.1.3) */
              callfilter: unknown;
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
                | 'wrong-user'
                | 'empty-filter';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Set a user's call filter */
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
            /** @description an array of operators (replace, match, service) and nested arrays, or one operator; at most 250 operators (spec 9.1.3) */
            callfilter: unknown;
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
         *     - `too-large`: the given call filter exceeds the limit of 250 operators
         *     - `empty-filter`: the given call filter contains no operator
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
                | 'wrong-user'
                | 'too-large'
                | 'empty-filter';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete a user's call filter */
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
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
                | 'wrong-user';
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
  '/api/partner/emergency/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a user's emergency-call information (only the fields that are set) */
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description the police control centre number in german emergency encoding */
              emergency_police?: string;
              /** @description the rescue control centre number in german emergency encoding */
              emergency_rescue?: string;
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
                | 'wrong-user';
              /** @description the user-to-user information for this user */
              uui_header?: string;
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Update a user's emergency-call information; an empty value deletes a field */
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
            /** @description the police control centre number in german emergency encoding */
            emergency_police?: string;
            /** @description the rescue control centre number in german emergency encoding */
            emergency_rescue?: string;
            /** @description the user-to-user information for this user */
            uui_header?: string;
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
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
                | 'wrong-user';
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
  '/api/partner/enterprise': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the partner's enterprises */
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
              enterprises: {
                [key: string]: {
                  description: string;
                  group_prefix_enable: boolean;
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
    /** Create an enterprise */
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
            /** @description the description for this enterprise */
            description?: string;
            /** @description enable the usergroups prefix for internal extensions (default: false) */
            group_prefix_enable?: boolean;
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
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description UUID (v1) */
              enterprise_uuid: string;
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
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/partner/enterprise/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Update an enterprise */
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
            /** @description the description for this enterprise */
            description?: string;
            /** @description enable the usergroups prefix for internal extensions (default: false) */
            group_prefix_enable?: boolean;
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
         *     - `wrong-enterprise`: the given enterprise uuid does not exist or does not belong to the partner
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
                | 'wrong-enterprise';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete an empty enterprise */
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
         *     - `wrong-enterprise`: the given enterprise uuid does not exist or does not belong to the partner
         *     - `not-empty`: the given enterprise uuid is not empty
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
                | 'wrong-enterprise'
                | 'not-empty';
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
  '/api/partner/enterprise/{uuid}/cnam': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read CNAM entries of the selected enterprise, ordered by phone number */
    get: {
      parameters: {
        query?: {
          /** @description max. number of CNAM entries to return (1...500, default 50) */
          count?: string;
          /** @description phone number of the first CNAM entry to return */
          next?: string;
        };
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
         *     - `wrong-enterprise`: the given enterprise uuid does not exist or does not belong to the partner
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              cnam: {
                name: string;
                phone: string;
              }[];
              message?: string;
              /** @description phone number of the next CNAM entry, or null after the last page */
              next: string | null;
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'wrong-enterprise';
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
  '/api/partner/enterprise/{uuid}/cnam/{phone}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create or modify a CNAM entry of the selected enterprise */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description phone number in E.164 format */
          phone: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description resolved name: A-Z, a-z, digits, & ' ( ) * + , - . / : ; @ [ ] _ and space */
            name: string;
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
         *     - `wrong-enterprise`: the given enterprise uuid does not exist or does not belong to the partner
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
                | 'wrong-enterprise';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete an existing CNAM entry of the selected enterprise */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description phone number in E.164 format */
          phone: string;
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
         *     - `wrong-enterprise`: the given enterprise uuid does not exist or does not belong to the partner
         *     - `wrong-cnam`: the given CNAM entry does not exist
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
                | 'wrong-enterprise'
                | 'wrong-cnam';
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
  '/api/partner/enterprise/{uuid}/usergroup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add usergroups to or delete them from an enterprise */
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
            usergroups: {
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
         *     - `wrong-enterprise`: the given enterprise uuid does not exist or does not belong to the partner
         *     - `wrong-usergroup`: at least one of the usergroups listed does not exist or does not belong to the partner
         *     - `already-grouped`: at least one of the usergroups listed in add is already in another enterprise
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
                | 'wrong-enterprise'
                | 'wrong-usergroup'
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
  '/api/partner/phone': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the phone numbers of the partner's users */
    get: {
      parameters: {
        query?: {
          /** @description max. numbers to return (1...500, default 50) */
          count?: string;
          /** @description the phone number before the first one returned (exclusive) */
          start?: string;
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
              phones: {
                [key: string]: string;
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
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/partner/phone/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create, modify and delete a partner's user's phone numbers */
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
            create?: {
              [key: string]: {
                /** @description default false; works only if it is the only switch on */
                call_enable?: boolean;
                /** @description default true */
                conference_enable?: boolean;
                /** @description default false; takes priority over the other switches */
                dialplan_enable?: boolean;
                /** @description default true */
                fax_enable?: boolean;
                /** @description default false */
                notification_attachment?: boolean;
                /** @description default false */
                notification_email?: boolean;
                /** @description number used for billing and law issues; null removes it */
                p_asserted_identity?: string | (never | null);
                /** @description default false: no message is recorded */
                play_announcement_only?: boolean;
                /** @description default true */
                recording_enable?: boolean;
              };
            };
            delete?: string[];
            update?: {
              [key: string]: {
                /** @description default false; works only if it is the only switch on */
                call_enable?: boolean;
                /** @description default true */
                conference_enable?: boolean;
                /** @description default false; takes priority over the other switches */
                dialplan_enable?: boolean;
                /** @description default true */
                fax_enable?: boolean;
                /** @description default false */
                notification_attachment?: boolean;
                /** @description default false */
                notification_email?: boolean;
                /** @description number used for billing and law issues; null removes it */
                p_asserted_identity?: string | (never | null);
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
         *     - `wrong-user`: the user does not exist or does not belong to the current partner
         *     - `wrong-phone`: a number in the update or delete section does not belong to this user
         *     - `phone-duplicate`: a number to create is already assigned to some user
         *     - `phone-forbidden`: the partner may not control phone number assignments
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
                | 'wrong-user'
                | 'wrong-phone'
                | 'phone-duplicate'
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
  '/api/partner/recovery/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a password recovery code for a partner's user */
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
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
                | 'wrong-user';
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
  '/api/partner/user': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the partner's users */
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
              users: string[];
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
  '/api/partner/user/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a partner's user */
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              feature: {
                pack: string[];
              };
              message?: string;
              phone?: {
                [key: string]: {
                  [key: string]: boolean | string;
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
                | 'fail'
                | 'wrong-user';
              user: {
                country_code: string;
                display_name: string;
                email?: string;
                firstname: string;
                ignore_ip_whitelisting: boolean;
                language: string;
                lastname: string;
                usergroup?: string;
                username: string;
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify, disable, enable or permanently delete a partner's user */
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
            /** @description the country code of the user */
            country_code?: string;
            /**
             * @description permanently deletes the user
             * @enum {boolean}
             */
            deleted?: true;
            /** @description true disables the user, false enables it again */
            disabled?: boolean;
            feature?: {
              pack?: {
                add?: string[];
                delete?: string[];
              };
            };
            ignore_ip_whitelisting?: boolean;
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
         *     - `wrong-user`: the given user-uuid does not exist or the user does not belong to the current partner
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
                | 'wrong-user';
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
  '/api/partner/usergroup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the partner's usergroups */
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
              usergroups: {
                [key: string]: {
                  description: string;
                  prefix?: number;
                };
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Create a usergroup */
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
            /** @description the description for this usergroup */
            description?: string;
            /** @description the prefix for this usergroup, 0..9; 0 removes it */
            prefix?: number | string;
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
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description UUID (v1) */
              group_uuid: string;
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
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/partner/usergroup/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Update a usergroup (prefix 0 removes the prefix) */
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
            /** @description the description for this usergroup */
            description?: string;
            /** @description the prefix for this usergroup, 0..9; 0 removes it */
            prefix?: number | string;
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
    /** Delete a usergroup without users */
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
         *     - `not-empty`: the given usergroup uuid is not empty
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
                | 'not-empty';
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
  '/api/partner/usergroup/{uuid}/cnam': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read CNAM entries of the selected usergroup, ordered by phone number */
    get: {
      parameters: {
        query?: {
          /** @description max. number of CNAM entries to return (1...500, default 50) */
          count?: string;
          /** @description phone number of the first CNAM entry to return */
          next?: string;
        };
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
              cnam: {
                name: string;
                phone: string;
              }[];
              message?: string;
              /** @description phone number of the next CNAM entry, or null after the last page */
              next: string | null;
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
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/partner/usergroup/{uuid}/cnam/{phone}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create or modify a CNAM entry of the selected usergroup */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description phone number in E.164 format */
          phone: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description resolved name: A-Z, a-z, digits, & ' ( ) * + , - . / : ; @ [ ] _ and space */
            name: string;
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
    /** Delete an existing CNAM entry of the selected usergroup */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description phone number in E.164 format */
          phone: string;
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
         *     - `wrong-cnam`: the given CNAM entry does not exist
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
                | 'wrong-cnam';
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
  '/api/partner/usergroup/{uuid}/credit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the credits left for a usergroup */
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
         *     - `no-credit`: the given usergroup does not have credits configured
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              credit: number;
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
                | 'no-credit';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Add credits to or subtract them from a usergroup */
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
            /** @description the amount of credits to add */
            add?: number;
            /** @description the amount of credits to subtract */
            subtract?: number;
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
    /** Delete the credit of a usergroup (its calls are no longer charged) */
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
  '/api/partner/usergroup/{uuid}/extension': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the internal extensions of a usergroup */
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
              extensions: {
                [key: string]: string;
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
                | 'fail'
                | 'wrong-usergroup';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Delete, then add internal extensions of a usergroup (targets must be members) */
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
            add?: {
              [key: string]: string;
            };
            delete?: string[];
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
         *     - `wrong-user`: at least one user does not exist, does not belong to the partner or is not a member of the usergroup
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
                | 'wrong-user';
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
  '/api/partner/usergroup/{uuid}/limit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the concurrent call limit of a usergroup */
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
         *     - `no-limit`: the given usergroup does not have a concurrent call limit
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              limit: number;
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
                | 'no-limit';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Set the concurrent call limit of a usergroup (0 blocks all calls) */
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
            /** @description the new concurrent call limit, 0...999 */
            limit: number | string;
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
    /** Delete the concurrent call limit of a usergroup */
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
  '/api/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reset a user's password with a recovery code; the session is authenticated with the user */
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
            /** @description the password recovery code */
            code: string;
            /** @description alternatively to the username: the e-mail address of the user */
            email?: string;
            /** @description the new password */
            password: string;
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
         *     - `wrong-username`: the username or e-mail does not exist or the recovery code is invalid for this user
         *     - `already-auth`: the session is already authenticated
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              partner?: string;
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'wrong-username'
                | 'already-auth';
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
  '/api/push': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the current user's APNs and GCM configuration */
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
              apns: {
                /** @description device token (64 hex digits) -> its application */
                device_tokens: {
                  [key: string]: {
                    apns_topic?: string;
                    application_id: string;
                    sandbox: boolean;
                  };
                };
              };
              gcm: {
                registration_ids: string[];
                /** @description present when PUSH_GCM_SENDER_ID is configured */
                sender_id?: string;
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
    /**
     * Add or delete an APNs device token or a GCM registration ID
     * @description Registered devices receive the push events fax_new, recording_new, dialplan_callreverse_start and dialplan_callreverse_stop (spec 8.2). A token added by another user moves to this one.
     */
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
            /** @enum {string} */
            action: 'add' | 'delete';
            /** @description `^[a-zA-Z0-9.-]{5,100}$`; optional, apns add; default the bundle id */
            apns_topic?: string;
            /** @description `^[a-zA-Z0-9]{10}.[a-zA-Z0-9.-]{5,100}$`; only for apns add */
            application_id?: string;
            /** @description `^[0-9a-fA-F]{64}$`; only for apns */
            device_token?: string;
            /** @description `^.{10,250}$`; only for gcm */
            registration_id?: string;
            /** @description only for apns add: the sandbox APNs */
            sandbox?: boolean;
            /** @enum {string} */
            system: 'gcm' | 'apns';
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
         *     - `unknown-appid`: The application ID is not known to the system (PUSH_APNS_APP_IDS)
         *     - `invalid-appid`: The application ID is syntactically invalid
         *     - `invalid-apns-topic`: The APNS topic is syntactically invalid
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
                | 'unknown-appid'
                | 'invalid-appid'
                | 'invalid-apns-topic';
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
  '/api/recording/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get information about recording uuid */
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
         *     - `wrong-recording`: The given UUID does not match a recording accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              recording: {
                description?: string;
                /** @description the calling number */
                from: string;
                /** @description UUID (v1) */
                owner: string;
                /** @enum {string} */
                status: 'record' | 'ok' | 'convert' | 'empty' | 'fail';
                tag: string[];
                /** @description creation time, seconds since the epoch */
                time: number;
                /** @description the called number */
                to: string;
              };
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'wrong-recording';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify recording uuid */
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
            /** @description a short description */
            description: string;
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
         *     - `wrong-recording`: The given UUID does not match a recording accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the recording (at least write privileges are required)
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
                | 'wrong-recording'
                | 'access-denied';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete recording uuid (to the trash, or permanently with purge) */
    delete: {
      parameters: {
        query?: {
          /** @description if present: delete permanently */
          purge?: string;
        };
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
         *     - `wrong-recording`: The given UUID does not match a recording accessible by the current user
         *     - `access-denied`: The user does not have sufficient privileges on the recording (at least write privileges are required)
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
                | 'wrong-recording'
                | 'access-denied';
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
  '/api/recording/{uuid}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the recording contents as WAV (`xxx.wav`, 8 kHz mono 16-bit) or Ogg Vorbis (`xxx.ogg`)
     * @description `xxx` is an arbitrary name. Only contents with status `ok` exist; anything else answers HTTP 404 without a body. Accepts did + dkey (spec 2.3).
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description xxx.wav or xxx.ogg */
          file: string;
          /** @description UUID (v1) */
          uuid: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the contents: audio/wav for xxx.wav, audio/ogg for xxx.ogg */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'audio/ogg': string;
            'audio/wav': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/signup/user': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a user account with a verification key; the session is authenticated with it */
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
            /** @description default +49 */
            country_code?: string;
            /** @description default "firstname lastname" */
            display_name?: string;
            /** @description required when the verification key carries no e-mail address (partner sign-up) */
            email?: string;
            firstname: string;
            /** @description language identifier */
            language?: 'de' | 'en';
            lastname: string;
            /** @description default true */
            newsletter?: boolean;
            password: string;
            username: string;
            verification: string;
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
         *     - `duplicate-username`: the selected username is already taken
         *     - `unknown-verification`: the verification key is unknown
         *     - `already-exist`: the e-mail address matches an existing user record
         *     - `already-auth`: the session is already authenticated
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
                | 'duplicate-username'
                | 'unknown-verification'
                | 'already-exist'
                | 'already-auth';
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
  '/api/signup/verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Request a sign-up verification key (partner-controlled sign-up) */
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
            /** @description the captcha solution (user sign-up) */
            captcha?: string;
            /** @description the e-mail address to be verified */
            email?: string;
            /** @description the sensor device access code */
            'hardware-code'?: string;
            /** @description any JSON, at most 10000 characters serialized */
            info?: unknown;
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
         *     - `wrong-captcha`: the captcha solution is wrong, or no captcha was previously requested
         *     - `email-failure`: the verification e-mail could not be sent out
         *     - `already-exist`: the e-mail address matches an existing user record
         *     - `wrong-code`: the hardware code is invalid
         *     - `exceeded-limit`: the hardware code was used for the maximum of 5 verifications
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              info?: unknown;
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
                | 'wrong-captcha'
                | 'email-failure'
                | 'already-exist'
                | 'wrong-code'
                | 'exceeded-limit';
              /** @description UUID (v1) */
              uuid?: string;
              verification?: string;
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
  '/api/signup/verification/{verification}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the information of a verification key */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          verification: string;
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
         *     - `unknown-verification`: the given verification key is unknown
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              email?: string;
              info?: unknown;
              message?: string;
              partner?: string;
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'unknown-verification';
              /** @description UUID (v1) */
              uuid?: string;
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a verification key */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          verification: string;
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
         *     - `unknown-verification`: the given verification key is unknown
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
                | 'unknown-verification';
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
  '/api/sip': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the user's SIP accounts */
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
              sip: {
                [key: string]: {
                  /** @description `ip:port` of the active registration, when there is one */
                  contact?: string;
                  description?: string;
                  domain: string;
                  /** @description expiry of that registration, seconds since epoch */
                  expire?: number;
                  password: string;
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
    /** Create a SIP account */
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
            /** @description a description text for the account */
            description?: string;
            /** @description the SIP domain of the account (one of the configured domains) */
            domain?: string;
            /** @description a password for the account */
            password: string;
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
         *     - `quota-exceeded`: the maximum number of SIP accounts for this user is reached
         *     - `wrong-domain`: the specified domain is not a valid choice
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              domain: string;
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
                | 'quota-exceeded'
                | 'wrong-domain';
              user: string;
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
  '/api/sip/{sip}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Modify a SIP account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$` */
          sip: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description a description text for the account */
            description?: string;
            /** @description the SIP domain of the account (one of the configured domains) */
            domain?: string;
            /** @description a password for the account */
            password?: string;
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
         *     - `wrong-sip`: the SIP user does not match any of the user’s SIP accounts
         *     - `wrong-domain`: the specified domain is not a valid choice
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
                | 'wrong-sip'
                | 'wrong-domain';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete a SIP account */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$` */
          sip: string;
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
         *     - `wrong-sip`: the SIP user does not match any of the user’s SIP accounts
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
                | 'wrong-sip';
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
  '/api/sip/{sip}/blf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the busy lamp field subscriptions of a SIP account */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$` */
          sip: string;
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
         *     - `wrong-sip`: the SIP user / account does not exist
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
                | 'wrong-sip';
              /** @description watched numbers, without the leading + */
              subscriptions: string[];
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Change the busy lamp field subscriptions of a SIP account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$` */
          sip: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            subscribe?: string[];
            unsubscribe?: string[];
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
         *     - `wrong-sip`: the SIP user / account does not exist
         *     - `wrong-phone`: at least one phone number does not exist
         *     - `access-denied`: the user is not member of a usergroup, or an owner of a given number is not in the same usergroup
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
                | 'wrong-sip'
                | 'wrong-phone'
                | 'access-denied';
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
  '/api/sip/{sip}/notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a custom NOTIFY to the devices registered with a SIP account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$` */
          sip: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description the content set in the generated notify */
            content?: string;
            /** @description the content-type for the generated notify */
            'content-type': string;
            /** @description the event-string used in the generated notify */
            'event-string': string;
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
         *     - `wrong-sip`: the SIP user / account does not exist
         *     - `not-registered`: the SIP user / account is not registered, or none of its registered devices answered the NOTIFY within SIP_NOTIFY_TIMEOUT_MS (default 4 s); `ok` means a device answered
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
                | 'wrong-sip'
                | 'not-registered';
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
  '/api/statistics/{date}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the system statistics of one day (YYYY-MM-DD, UTC) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          date: string;
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
         *     - `access-denied`: The current session user does not have the statistics permission
         *     - `empty-data`: No statistics items were found
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              /** @description The statistics data object (spec 13.1.3-13.1.4). Counters come from CDRs and fax reports, counted when recorded; peaks from the live registration and call counts. Days are UTC days. */
              result: {
                /** @description first day, UTC */
                from: string;
                /** @description partner name -> its usage (its users add up) and its users by UUID */
                partner: {
                  [key: string]: {
                    /** @description call legs received (fax legs not counted) */
                    calls_in: number;
                    /** @description call legs placed */
                    calls_out: number;
                    /** @description most calls at once */
                    concurrent_calls_peak: number;
                    /** @description credits billed (zone filter) */
                    cost: number;
                    /** @description faxes received (report ok) */
                    faxes_in: number;
                    /** @description faxes sent (report ok) */
                    faxes_out: number;
                    /** @description seconds_in / 60, two decimals */
                    minutes_in: number;
                    /** @description seconds_out / 60, two decimals */
                    minutes_out: number;
                    /** @description pages received */
                    pages_in: number;
                    /** @description pages sent */
                    pages_out: number;
                    /** @description calls that left a recording */
                    recordings: number;
                    /** @description most SIP accounts registered at once */
                    registrations_peak: number;
                    /** @description talk time of received calls */
                    seconds_in: number;
                    /** @description talk time of placed calls */
                    seconds_out: number;
                    user: {
                      [key: string]: {
                        /** @description call legs received (fax legs not counted) */
                        calls_in: number;
                        /** @description call legs placed */
                        calls_out: number;
                        /** @description most calls at once */
                        concurrent_calls_peak: number;
                        /** @description credits billed (zone filter) */
                        cost: number;
                        /** @description faxes received (report ok) */
                        faxes_in: number;
                        /** @description faxes sent (report ok) */
                        faxes_out: number;
                        /** @description seconds_in / 60, two decimals */
                        minutes_in: number;
                        /** @description seconds_out / 60, two decimals */
                        minutes_out: number;
                        /** @description pages received */
                        pages_in: number;
                        /** @description pages sent */
                        pages_out: number;
                        /** @description calls that left a recording */
                        recordings: number;
                        /** @description most SIP accounts registered at once */
                        registrations_peak: number;
                        /** @description talk time of received calls */
                        seconds_in: number;
                        /** @description talk time of placed calls */
                        seconds_out: number;
                        username: string;
                      };
                    };
                  };
                };
                /** @description the date (YYYY-MM-DD) or month (YYYY-MM) asked for */
                period: string;
                /** @enum {string} */
                timezone: 'UTC';
                /** @description last day, UTC */
                to: string;
                /** @description the whole system */
                total: {
                  /** @description call legs received (fax legs not counted) */
                  calls_in: number;
                  /** @description call legs placed */
                  calls_out: number;
                  /** @description most calls at once */
                  concurrent_calls_peak: number;
                  /** @description credits billed (zone filter) */
                  cost: number;
                  /** @description faxes received (report ok) */
                  faxes_in: number;
                  /** @description faxes sent (report ok) */
                  faxes_out: number;
                  /** @description seconds_in / 60, two decimals */
                  minutes_in: number;
                  /** @description seconds_out / 60, two decimals */
                  minutes_out: number;
                  /** @description pages received */
                  pages_in: number;
                  /** @description pages sent */
                  pages_out: number;
                  /** @description calls that left a recording */
                  recordings: number;
                  /** @description most SIP accounts registered at once */
                  registrations_peak: number;
                  /** @description talk time of received calls */
                  seconds_in: number;
                  /** @description talk time of placed calls */
                  seconds_out: number;
                };
                /** @description users without a partner, by UUID */
                user: {
                  [key: string]: {
                    /** @description call legs received (fax legs not counted) */
                    calls_in: number;
                    /** @description call legs placed */
                    calls_out: number;
                    /** @description most calls at once */
                    concurrent_calls_peak: number;
                    /** @description credits billed (zone filter) */
                    cost: number;
                    /** @description faxes received (report ok) */
                    faxes_in: number;
                    /** @description faxes sent (report ok) */
                    faxes_out: number;
                    /** @description seconds_in / 60, two decimals */
                    minutes_in: number;
                    /** @description seconds_out / 60, two decimals */
                    minutes_out: number;
                    /** @description pages received */
                    pages_in: number;
                    /** @description pages sent */
                    pages_out: number;
                    /** @description calls that left a recording */
                    recordings: number;
                    /** @description most SIP accounts registered at once */
                    registrations_peak: number;
                    /** @description talk time of received calls */
                    seconds_in: number;
                    /** @description talk time of placed calls */
                    seconds_out: number;
                    username: string;
                  };
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
                | 'fail'
                | 'access-denied'
                | 'empty-data';
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
  '/api/tag': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the user's tags (without system tags and share tags) */
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
              tag: {
                [key: string]: {
                  foreign_use: boolean;
                  label: string;
                  /** @description UUID (v1) */
                  owner: string;
                  policy: {
                    [key: string]: number;
                  };
                };
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Create a new tag for the current user */
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
            foreign_use?: boolean;
            /** @description text label of this tag */
            label: string;
            /** @description user UUID -> 1 (read), 2 (write), 3 (propagate), 4 (owner) */
            policy?: {
              [key: string]: number;
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
         *     - `wrong-user`: One of the given user UUIDs is unknown or has no link with the current user
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
                | 'wrong-user';
              /** @description UUID (v1) */
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
  '/api/tag/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get information for a tag */
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
         *     - `wrong-tag`: The given UUID does not match a tag accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              foreign_use: boolean;
              label: string;
              message?: string;
              /** @description UUID (v1) */
              owner: string;
              policy: {
                [key: string]: number;
              };
              /** @enum {string} */
              status:
                | 'ok'
                | 'no-session'
                | 'no-auth'
                | 'wrong-origin'
                | 'wrong-syntax'
                | 'missing-element'
                | 'fail'
                | 'wrong-tag';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify a tag */
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
            foreign_use?: boolean;
            /** @description text label of this tag */
            label?: string;
            policy?: {
              delete?: string[];
              /** @description user UUID -> 1 (read), 2 (write), 3 (propagate), 4 (owner) */
              update?: {
                [key: string]: number;
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
         *     - `wrong-tag`: The given UUID does not match a tag accessible by the current user
         *     - `wrong-user`: One of the given user UUIDs is unknown or has no link with the current user
         *     - `access-denied`: The user is not the owner of the specified tag
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
                | 'wrong-tag'
                | 'wrong-user'
                | 'access-denied';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete a tag (it is detached from all objects) */
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
         *     - `wrong-tag`: The given UUID does not match a tag accessible by the current user
         *     - `access-denied`: The user is not the owner of the specified tag
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
                | 'wrong-tag'
                | 'access-denied';
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
  '/api/tag/{uuid}/object': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the objects tagged with a tag */
    get: {
      parameters: {
        query?: {
          /** @description number of items, 1...500 */
          count?: string;
          /** @description optional: one object type */
          filter?:
            | 'fax'
            | 'recording'
            | 'announcement'
            | 'contact'
            | 'conference'
            | 'volume'
            | 'box'
            | 'ipquality'
            | 'presentation'
            | 'sensor'
            | 'xobject';
          /** @description start time, seconds since epoch */
          from?: string;
          order?: 'asc' | 'desc';
          /** @description optional: words that must all be present in the objects (case-insensitive) */
          search?: string;
          /** @description UUID of the last item seen (exclusive) */
          start?: string;
          /** @description optional: comma-separated tag UUIDs that must also be attached (AND) */
          tag?: string;
          /** @description end time, seconds since epoch */
          to?: string;
        };
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
         *     - `wrong-tag`: The given UUID does not match a tag accessible by the current user
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              object: {
                [key: string]: {
                  [key: string]: unknown;
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
                | 'fail'
                | 'wrong-tag';
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
  '/api/trash': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Purge the trash: all objects in the trash are permanently deleted */
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
  '/api/usage/{month}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the usage statistics of one month (YYYY-MM, UTC) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          month: string;
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
         *     - `access-denied`: The current session user does not have the statistics permission
         *     - `empty-data`: No statistics items were found
         */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message?: string;
              /** @description The statistics data object (spec 13.1.3-13.1.4). Counters come from CDRs and fax reports, counted when recorded; peaks from the live registration and call counts. Days are UTC days. */
              result: {
                /** @description first day, UTC */
                from: string;
                /** @description partner name -> its usage (its users add up) and its users by UUID */
                partner: {
                  [key: string]: {
                    /** @description call legs received (fax legs not counted) */
                    calls_in: number;
                    /** @description call legs placed */
                    calls_out: number;
                    /** @description most calls at once */
                    concurrent_calls_peak: number;
                    /** @description credits billed (zone filter) */
                    cost: number;
                    /** @description faxes received (report ok) */
                    faxes_in: number;
                    /** @description faxes sent (report ok) */
                    faxes_out: number;
                    /** @description seconds_in / 60, two decimals */
                    minutes_in: number;
                    /** @description seconds_out / 60, two decimals */
                    minutes_out: number;
                    /** @description pages received */
                    pages_in: number;
                    /** @description pages sent */
                    pages_out: number;
                    /** @description calls that left a recording */
                    recordings: number;
                    /** @description most SIP accounts registered at once */
                    registrations_peak: number;
                    /** @description talk time of received calls */
                    seconds_in: number;
                    /** @description talk time of placed calls */
                    seconds_out: number;
                    user: {
                      [key: string]: {
                        /** @description call legs received (fax legs not counted) */
                        calls_in: number;
                        /** @description call legs placed */
                        calls_out: number;
                        /** @description most calls at once */
                        concurrent_calls_peak: number;
                        /** @description credits billed (zone filter) */
                        cost: number;
                        /** @description faxes received (report ok) */
                        faxes_in: number;
                        /** @description faxes sent (report ok) */
                        faxes_out: number;
                        /** @description seconds_in / 60, two decimals */
                        minutes_in: number;
                        /** @description seconds_out / 60, two decimals */
                        minutes_out: number;
                        /** @description pages received */
                        pages_in: number;
                        /** @description pages sent */
                        pages_out: number;
                        /** @description calls that left a recording */
                        recordings: number;
                        /** @description most SIP accounts registered at once */
                        registrations_peak: number;
                        /** @description talk time of received calls */
                        seconds_in: number;
                        /** @description talk time of placed calls */
                        seconds_out: number;
                        username: string;
                      };
                    };
                  };
                };
                /** @description the date (YYYY-MM-DD) or month (YYYY-MM) asked for */
                period: string;
                /** @enum {string} */
                timezone: 'UTC';
                /** @description last day, UTC */
                to: string;
                /** @description the whole system */
                total: {
                  /** @description call legs received (fax legs not counted) */
                  calls_in: number;
                  /** @description call legs placed */
                  calls_out: number;
                  /** @description most calls at once */
                  concurrent_calls_peak: number;
                  /** @description credits billed (zone filter) */
                  cost: number;
                  /** @description faxes received (report ok) */
                  faxes_in: number;
                  /** @description faxes sent (report ok) */
                  faxes_out: number;
                  /** @description seconds_in / 60, two decimals */
                  minutes_in: number;
                  /** @description seconds_out / 60, two decimals */
                  minutes_out: number;
                  /** @description pages received */
                  pages_in: number;
                  /** @description pages sent */
                  pages_out: number;
                  /** @description calls that left a recording */
                  recordings: number;
                  /** @description most SIP accounts registered at once */
                  registrations_peak: number;
                  /** @description talk time of received calls */
                  seconds_in: number;
                  /** @description talk time of placed calls */
                  seconds_out: number;
                };
                /** @description users without a partner, by UUID */
                user: {
                  [key: string]: {
                    /** @description call legs received (fax legs not counted) */
                    calls_in: number;
                    /** @description call legs placed */
                    calls_out: number;
                    /** @description most calls at once */
                    concurrent_calls_peak: number;
                    /** @description credits billed (zone filter) */
                    cost: number;
                    /** @description faxes received (report ok) */
                    faxes_in: number;
                    /** @description faxes sent (report ok) */
                    faxes_out: number;
                    /** @description seconds_in / 60, two decimals */
                    minutes_in: number;
                    /** @description seconds_out / 60, two decimals */
                    minutes_out: number;
                    /** @description pages received */
                    pages_in: number;
                    /** @description pages sent */
                    pages_out: number;
                    /** @description calls that left a recording */
                    recordings: number;
                    /** @description most SIP accounts registered at once */
                    registrations_peak: number;
                    /** @description talk time of received calls */
                    seconds_in: number;
                    /** @description talk time of placed calls */
                    seconds_out: number;
                    username: string;
                  };
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
                | 'fail'
                | 'access-denied'
                | 'empty-data';
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
  '/api/user': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get information about the current session's user */
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
              /** @description fields marked optional are only present when set */
              user: {
                area_code?: string;
                birthday?: string;
                country?: string;
                country_code: string;
                display_name: string;
                email?: string;
                fax_header?: string;
                fax_ident?: string;
                feature: {
                  feature: {
                    box_enable: boolean;
                    call_unrestricted: boolean;
                    control_phone: boolean;
                    dialplan_enable: boolean;
                    fax_noad: boolean;
                  };
                  pack: string[];
                  quota: {
                    fax: number;
                    volume: number;
                  };
                  used: {
                    fax: number;
                    volume: number;
                  };
                };
                firstname: string;
                house_number?: string;
                language: string;
                lastname: string;
                newsletter: boolean;
                /** @description only for users of a partner */
                partner?: string;
                picture: boolean;
                /** @description UUID (v1) */
                share_propagate: string;
                /** @description UUID (v1) */
                share_read: string;
                /** @description UUID (v1) */
                share_write: string;
                street?: string;
                /** @description UUID (v1) */
                tag_all: string;
                /** @description UUID (v1) */
                tag_inbox: string;
                /** @description UUID (v1) */
                tag_outbox: string;
                /** @description UUID (v1) */
                tag_shared: string;
                /** @description UUID (v1) */
                tag_trash: string;
                /** @description UUID (v1) */
                tag_unread: string;
                town?: string;
                usergroup?: string;
                username: string;
                /** @description UUID (v1) */
                uuid: string;
                /** @enum {string} */
                validation: 'incomplete' | 'checking' | 'missmatch' | 'baddocument' | 'fail' | 'ok';
                zip_code?: string;
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    put?: never;
    /** Modify user-related information of the current session's user */
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
            /** @description YYYY-MM-DD; only together with the other address fields */
            birthday?: string;
            /** @description the e-mail verification code (second step) */
            code?: string;
            /** @description ISO country code */
            country?: string;
            country_code?: string;
            /** @description the user name as it should display within an application */
            display_name?: string;
            /** @description a new e-mail address (first step) */
            email?: string;
            /** @description the default fax header line */
            fax_header?: string;
            /** @description the default fax transmitting station ID (TSI) */
            fax_ident?: string;
            firstname?: string;
            house_number?: string;
            /** @description language identifier */
            language?: 'de' | 'en';
            lastname?: string;
            newsletter?: boolean;
            old_password?: string;
            /** @description a new password; needs old_password */
            password?: string;
            /** @description a new phone PIN (never returned) */
            pin?: string;
            street?: string;
            town?: string;
            zip_code?: string;
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
         *     - `wrong-password`: The `old_password` is wrong
         *     - `already-exist`: The e-mail address matches an existing user record
         *     - `email-failure`: The e-mail could not be sent out
         *     - `address-incomplete`: Missing parameter `birthday`, `zip_code`, `town`, `street`, `house_number` or `country`
         *     - `address-wrong`: The combination of `zip_code`, `town`, `street`, `house_number` and `country` is incorrect, too imprecise or unknown to the system
         *     - `address-forbidden`: The new address is correct, but lies in another area code than the current one while the user holds phone numbers of the current area code
         *     - `unsupported-country`: The country given is not supported by the system (ADDRESS_COUNTRIES)
         *     - `too-young`: The given age (`birthday` field) is too young
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
                | 'wrong-password'
                | 'already-exist'
                | 'email-failure'
                | 'address-incomplete'
                | 'address-wrong'
                | 'address-forbidden'
                | 'unsupported-country'
                | 'too-young';
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
  '/api/user/{id}/picture/{size}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a user's profile picture (`self` for the session's user)
     * @description Unknown users, and users the session may not see, answer HTTP 404 without a body; users without a picture answer a 302 redirect to the default picture. Accepts did + dkey (spec 2.3).
     */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description an arbitrary file name ending in .jpg */
          file: string;
          id: string;
          /** @description small 48x48, medium 96x96, large 192x192, huge 384x384 */
          size: 'small' | 'medium' | 'large' | 'huge' | '48' | '96' | '192' | '384';
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the file (image/jpeg) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/jpeg': string;
          };
        };
        /** @description redirect to the default picture; no body */
        302: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/user/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get basic information about a user */
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
         *     - `wrong-user`: The given `user-uuid` does not exist
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
                | 'wrong-user';
              user: {
                /**
                 * @description only present for deleted users
                 * @enum {boolean}
                 */
                deleted?: true;
                display_name: string;
                firstname: string;
                lastname: string;
                picture: boolean;
                username: string;
              };
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
  '/api/user/cnam': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read CNAM entries of the current user, ordered by phone number */
    get: {
      parameters: {
        query?: {
          /** @description max. number of CNAM entries to return (1...500, default 50) */
          count?: string;
          /** @description phone number of the first CNAM entry to return */
          next?: string;
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
              cnam: {
                name: string;
                phone: string;
              }[];
              message?: string;
              /** @description phone number of the next CNAM entry, or null after the last page */
              next: string | null;
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
  '/api/user/cnam/{phone}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create or modify a CNAM entry of the current user */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description phone number in E.164 format */
          phone: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description resolved name: A-Z, a-z, digits, & ' ( ) * + , - . / : ; @ [ ] _ and space */
            name: string;
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
    /** Delete an existing CNAM entry of the current user */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description phone number in E.164 format */
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
         *     - `wrong-cnam`: the given CNAM entry does not exist
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
                | 'wrong-cnam';
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
  '/api/user/default/picture/{size}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the default profile picture */
    get: {
      parameters: {
        query?: {
          did?: string;
          dkey?: string;
          /** @description if present: Content-Disposition inline */
          inline?: string;
        };
        header?: never;
        path: {
          /** @description an arbitrary file name ending in .jpg */
          file: string;
          /** @description small 48x48, medium 96x96, large 192x192, huge 384x384 */
          size: 'small' | 'medium' | 'large' | 'huge' | '48' | '96' | '192' | '384';
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the file (image/jpeg) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/jpeg': string;
          };
        };
        /** @description not found or not authorized; no body */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
  '/api/user/delete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Permanently delete the session's user account; the session ends */
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
            password: string;
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
         *     - `wrong-user`: the given username does not match the session's user or the user is controlled by a partner
         *     - `wrong-credentials`: the given password is wrong
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
                | 'wrong-user'
                | 'wrong-credentials';
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
  '/api/user/metadata': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the metadata of the current session's user */
    get: {
      parameters: {
        query?: {
          /** @description optional: a domain to retrieve metadata for all keys under this domain (not the domain key itself) */
          domain?: string;
          /** @description optional: a comma-separated list of metadata keys to get information for */
          keys?: string;
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
              metadata: {
                [key: string]: unknown;
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
    /** Modify or delete metadata of the current session's user */
    post: {
      parameters: {
        query?: {
          /** @description optional: if present, don't generate an event */
          noevent?: string;
          /** @description optional: if present, don't store the metadata permanently (event only) */
          nostore?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description keys to delete */
            delete?: string[];
            /** @description keys to add or modify; any valid JSON value of at most 100 KB */
            update?: {
              [key: string]: unknown;
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
         *     - `too-large`: At least one metadata value is too big (100 KB maximum)
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
                | 'too-large';
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
  '/api/user/picture': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set the current session user's profile picture (raw JPEG or PNG body) */
    post: {
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
         *     - `too-large`: The picture data is too large to be handled (over 5242880 bytes or 1500x1500 pixels)
         *     - `malformed-file`: The picture data is malformed / cannot be decoded
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
                | 'too-large'
                | 'malformed-file';
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
    };
    /** Delete the current session user's profile picture */
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
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
