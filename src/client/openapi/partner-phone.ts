/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface PartnerPhonePaths {
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
}
