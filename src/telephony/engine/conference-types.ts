/** What the engine needs of a node to serve conference dial-in (conference-dial-in.ts). */
import type { ConferenceSettings } from '../../services/conference-service.js';
import type { ConferencePort } from '../adapter.js';
import type { ConferenceRooms } from '../conference/rooms.js';
import type { RoomMedia } from '../conference/room-media.js';

/** What a node gives the engine to serve conference dial-in. */
export interface ConferenceHost {
  /** The owner's conference with this PIN; null when there is none. */
  byPin(owner: string, pin: string): Promise<ConferenceSettings | null>;
  /** The conference by its uuid (a participant sent by another node); null when gone or in the trash. */
  settings(uuid: string): Promise<ConferenceSettings | null>;
  rooms: ConferenceRooms<RoomMedia>;
  port: ConferencePort;
}
