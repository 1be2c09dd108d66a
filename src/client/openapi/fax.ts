/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface FaxPaths {
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
}
