import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { statusResponse } from '../schemas/common.js';

/** Languages the API localizes server-side texts and phone prompts in (spec 2.2, 3.4). */
export const LANGUAGES = ['en', 'de'] as const;

export function registerLanguageRoutes(app: FastifyInstance): void {
  app.get(
    '/api/language',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['language'],
        summary: 'List the supported languages',
        response: statusResponse({}, Type.Object({ language: Type.Array(Type.String()) })),
      },
    },
    async () => ({ language: [...LANGUAGES] }),
  );
}
