/**
 * The tests that need drachtio-server and FreeSWITCH running beside them
 * (`*.fs.ts`; never in `npm test`, where neither server exists): one file at
 * a time, since every adapter connected to one drachtio-server shares its
 * calls.
 *
 *   npm run test:contract:freeswitch   # the adapter contract
 *   npm run test:e2e:freeswitch        # FreeSWITCH restarting under calls
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.fs.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
