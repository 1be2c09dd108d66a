/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface UserDefaultPaths {
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
}
