/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface UserPaths {
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
}
