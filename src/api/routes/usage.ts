import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'usage'>;

const n = (description: string): TSchema => Type.Integer({ description });
const UsageFields = {
  calls_in: n('call legs received (fax legs not counted)'),
  calls_out: n('call legs placed'),
  seconds_in: n('talk time of received calls'),
  seconds_out: n('talk time of placed calls'),
  minutes_in: Type.Number({ description: 'seconds_in / 60, two decimals' }),
  minutes_out: Type.Number({ description: 'seconds_out / 60, two decimals' }),
  cost: n('credits billed (zone filter)'),
  faxes_in: n('faxes received (report ok)'),
  faxes_out: n('faxes sent (report ok)'),
  pages_in: n('pages received'),
  pages_out: n('pages sent'),
  recordings: n('calls that left a recording'),
  registrations_peak: n('most SIP accounts registered at once'),
  concurrent_calls_peak: n('most calls at once'),
};
const UserUsage = Type.Object({ ...UsageFields, username: Type.String() });
const Report = Type.Object(
  {
    period: Type.String({ description: 'the date (YYYY-MM-DD) or month (YYYY-MM) asked for' }),
    from: Type.String({ description: 'first day, UTC' }),
    to: Type.String({ description: 'last day, UTC' }),
    timezone: Type.Literal('UTC'),
    total: Type.Object(UsageFields, { description: 'the whole system' }),
    partner: Type.Record(
      Type.String(),
      Type.Object({ ...UsageFields, user: Type.Record(Type.String(), UserUsage) }),
      { description: 'partner name -> its usage (its users add up) and its users by UUID' },
    ),
    user: Type.Record(Type.String(), UserUsage, { description: 'users without a partner, by UUID' }),
  },
  {
    description:
      'The statistics data object (spec 13.1.3-13.1.4). Counters come from CDRs and fax reports, ' +
      'counted when recorded; peaks from the live registration and call counts. Days are UTC days.',
  },
);

const statuses = {
  'access-denied': 'The current session user does not have the statistics permission',
  'empty-data': 'No statistics items were found',
};

/** System statistics and monthly usage (spec 13.1.3, 13.1.4), for users with the `statistics` permission. */
export function registerUsageRoutes(app: FastifyInstance, services: Deps): void {
  const { usage } = services;
  app.get(
    '/api/statistics/:date',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Get the system statistics of one day (YYYY-MM-DD, UTC)',
        params: Type.Object({ date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }) }),
        response: statusResponse(statuses, Type.Object({ result: Report })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { result: await usage.statistics(userId, (request.params as { date: string }).date) };
    },
  );
  app.get(
    '/api/usage/:month',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Get the usage statistics of one month (YYYY-MM, UTC)',
        params: Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }) }),
        response: statusResponse(statuses, Type.Object({ result: Report })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { result: await usage.usage(userId, (request.params as { month: string }).month) };
    },
  );
}
