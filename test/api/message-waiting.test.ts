/** The message-waiting state MWI will send (spec 13.1.2, RFC 3842): voice messages new and old. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageSummaryBody } from '../../src/domain/mwi/message-summary.js';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const voiceMessage = async (u: TestUser, status = 'ok') =>
  (
    await h.services.objects.create({
      uuid: newId(),
      type: 'recording',
      owner: u.uuid,
      description: null,
      data: { status, from: '+492215587412', to: '+492216698000' },
      searchText: '',
      tags: ['tag_inbox', 'tag_unread'],
    })
  ).uuid;

describe('message waiting state', () => {
  it('counts inbox recordings as new while unread, old once heard; trash and unfinished ones do not count', async () => {
    const u = await h.user();
    const system = (await h.services.users.byId(u.uuid))!.system_tags;
    expect(await h.services.messageWaiting.summary(u.uuid)).toEqual({ newMessages: 0, oldMessages: 0 });
    const [a, b, c] = [await voiceMessage(u), await voiceMessage(u), await voiceMessage(u)];
    await voiceMessage(u, 'convert');
    expect(await h.services.messageWaiting.summary(u.uuid)).toEqual({ newMessages: 3, oldMessages: 0 });
    const tags = (uuid: string, body: unknown) =>
      h.call('POST', `/api/object/${uuid}/tag`, { sid: u.sid, body });
    expect((await tags(a, { delete: [system.tag_unread] }))['status']).toBe('ok');
    expect((await tags(b, { add: [system.tag_trash] }))['status']).toBe('ok');
    expect(await h.services.messageWaiting.summary(u.uuid)).toEqual({ newMessages: 1, oldMessages: 1 });
    expect((await tags(c, { delete: [system.tag_unread] }))['status']).toBe('ok');
    const counts = await h.services.messageWaiting.summary(u.uuid);
    expect(messageSummaryBody(counts, 'sip:joe_01@sip.cospace.de')).toBe(
      'Messages-Waiting: no\r\nMessage-Account: sip:joe_01@sip.cospace.de\r\nVoice-Message: 0/2 (0/0)\r\n',
    );
    expect(messageSummaryBody({ newMessages: 2, oldMessages: 8 })).toBe(
      'Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/0)\r\n',
    );
  });
});
