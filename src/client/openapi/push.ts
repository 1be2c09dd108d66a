/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface PushPaths {
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
}
