import { sql } from 'kysely';
import type { VoiceMessageCounts } from '../domain/mwi/message-summary.js';
import type { Db } from '../store/db.js';
import type { SystemTags } from '../store/schema.js';

/**
 * The message-waiting state of a user (spec 13.1.2, RFC 3842), read where the
 * voice messages live: recordings (spec 3.14) in the owner's inbox and not in
 * the trash, `new` while they carry tag_unread. It is what the MWI NOTIFYs
 * carry (domain/mwi/message-summary.ts, sent by MwiService.changed) when a
 * recording arrives (RecordingService onFinished, like the recording_new
 * push) or its tags, trash state or existence change (ObjectService onChanged).
 */
export class MessageWaiting {
  constructor(private readonly db: Db) {}

  async summary(owner: string): Promise<VoiceMessageCounts> {
    const user = await this.db
      .selectFrom('users')
      .select('system_tags')
      .where('uuid', '=', owner)
      .executeTakeFirst();
    const tags = user?.system_tags as Partial<SystemTags> | undefined;
    if (!tags?.tag_inbox || !tags.tag_unread || !tags.tag_trash) return { newMessages: 0, oldMessages: 0 };
    const row = await sql<{ fresh: string | number; heard: string | number }>`
      SELECT count(*) FILTER (WHERE u.object_uuid IS NOT NULL) AS fresh,
             count(*) FILTER (WHERE u.object_uuid IS NULL) AS heard
      FROM objects o
      JOIN object_tags i ON i.object_uuid = o.uuid AND i.tag_uuid = ${tags.tag_inbox}
      LEFT JOIN object_tags u ON u.object_uuid = o.uuid AND u.tag_uuid = ${tags.tag_unread}
      WHERE o.owner = ${owner} AND o.type = 'recording' AND o.data->>'status' = 'ok'
        AND NOT EXISTS (SELECT 1 FROM object_tags t WHERE t.object_uuid = o.uuid AND t.tag_uuid = ${tags.tag_trash})`.execute(
      this.db,
    );
    const r = row.rows[0];
    return { newMessages: Number(r?.fresh ?? 0), oldMessages: Number(r?.heard ?? 0) };
  }
}
