import { Type } from '@sinclair/typebox';
import { PagingError, parsePage, type PageQuery, type RawPageParams } from '../../domain/paging.js';
import { ServiceError } from '../../errors/index.js';
import { P } from './common.js';

/** Query-string schema of the shared list parameters (documentation + format check). */
export const PageParams = {
  from: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,12}$', description: 'start time, seconds since epoch' }),
  ),
  to: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'end time, seconds since epoch' })),
  start: Type.Optional(
    Type.String({ pattern: P.uuid, description: 'UUID of the last item seen (exclusive)' }),
  ),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  count: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'number of items, 1...500' })),
};

/** Parses the list parameters of a request, mapping bad values to `wrong-syntax`. */
export function pageFromQuery(query: RawPageParams, defaultCount: number): PageQuery {
  try {
    return parsePage(query, defaultCount);
  } catch (err) {
    if (err instanceof PagingError) throw new ServiceError('wrong-syntax', err.message);
    throw err;
  }
}
