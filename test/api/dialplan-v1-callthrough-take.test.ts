/** The telephony engine's side of a call-through process (spec 4.2): used up by the call it connects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('DialplanV1Service.takeCallthrough', () => {
  it('takes a filtered process only for its filter number, or for the user’s own SIP account', async () => {
    const u = await h.user();
    const dp = h.services.dialplanV1;
    await dp.callthrough(u.uuid, { phone: '+4930777011', filter: '+4989000111' });
    expect(await dp.takeCallthrough(u.uuid, '+4989000999')).toBeNull();
    expect(await dp.takeCallthrough(u.uuid, 'anonymous')).toBeNull();
    expect(await dp.takeCallthrough(u.uuid, '+4989000111')).toEqual({
      phone: '+4930777011',
      filter: '+4989000111',
    });
    expect(await dp.callthroughState(u.uuid)).toBeNull();
    expect(await dp.takeCallthrough(u.uuid, '+4989000111')).toBeNull();

    await dp.callthrough(u.uuid, { phone: '+4930777012', filter: '+4989000111' });
    expect(await dp.takeCallthrough(u.uuid, null)).toEqual({ phone: '+4930777012', filter: '+4989000111' });
  });

  it('takes a process without a filter for any caller, anonymous too, once', async () => {
    const u = await h.user();
    const dp = h.services.dialplanV1;
    await dp.callthrough(u.uuid, { phone: 'joe01' });
    const [a, b] = await Promise.all([
      dp.takeCallthrough(u.uuid, 'anonymous'),
      dp.takeCallthrough(u.uuid, '+4989000999'),
    ]);
    expect([a, b].filter((x) => x !== null)).toEqual([{ phone: 'joe01' }]);
  });
});
