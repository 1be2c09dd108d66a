/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface Fax2Paths {
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
}
