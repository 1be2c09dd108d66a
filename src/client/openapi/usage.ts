/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: `npm run client:generate`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
export interface UsagePaths {
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
}
