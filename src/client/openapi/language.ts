/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface LanguagePaths {
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
}
