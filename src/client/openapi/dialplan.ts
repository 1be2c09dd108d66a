/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface DialplanPaths {
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
}
