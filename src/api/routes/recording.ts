import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { registerAudioObjectRoutes } from './audio-object.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'recordings'>;

/**
 * Spec 3.14: recordings. They are made by the telephony engine (through
 * RecordingService.createFromCall), so the API only reads, describes,
 * deletes and downloads them.
 */
export function registerRecordingRoutes(app: FastifyInstance, services: Deps): void {
  registerAudioObjectRoutes(app, services.recordings, {
    descriptionRequired: true,
    fields: {
      from: Type.String({ description: 'the calling number' }),
      to: Type.String({ description: 'the called number' }),
    },
  });
}
