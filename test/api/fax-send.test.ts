import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T30_ERR } from '../../src/domain/fax/t30.js';
import type { FaxSendJob, FaxSendQueue } from '../../src/services/fax-send.js';
import { FaxSender, type FaxDialer, type FaxDialOutcome } from '../../src/services/fax-sender.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import { userWithNumbers } from '../helpers/provision.js';
import { textPdf } from '../media/fax-fixtures.js';

/**
 * POST /api/fax/(uuid)/send (spec 3.13) and the sender that runs its queued
 * attempts. The call itself is the telephony seam's (a FaxDialer); here a
 * scripted dialer stands in for it, everything else is real (database,
 * Redis, BullMQ, the converter).
 */

let h: Harness;
let worker: RunningMediaWorker | undefined;
let alice: TestUser;
let from: string;
let faxWith3Pages: string;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  const u = await userWithNumbers(h, 2);
  alice = u.user;
  from = u.numbers[0]!;
  worker = startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
  faxWith3Pages = await faxWithPages(alice, 3);
});
afterAll(async () => {
  await worker?.close();
  await h?.services.media.close();
  await h?.close();
});

async function faxWithPages(u: TestUser, pages: number): Promise<string> {
  const uuid = (await h.call('POST', '/api/fax', { sid: u.sid, body: {} }))['uuid'] as string;
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/fax/${uuid}/doc.pdf`,
    headers: { 'content-type': 'application/pdf', authorization: `Bearer ${u.sid}` },
    payload: await textPdf(pages),
  });
  expect(res.json()).toEqual({ status: 'ok' });
  for (let i = 0; i < 600; i++) {
    const f = (await h.call('GET', `/api/fax/${uuid}`, { sid: u.sid }))['fax'];
    if (f.status === 'ok') return uuid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('conversion did not finish');
}

const sendFax = (u: TestUser, uuid: string, body: Record<string, unknown>) =>
  h.call('POST', `/api/fax/${uuid}/send`, { sid: u.sid, body });
const statusOf = async (report: string) => (await h.services.faxes.report(report))!;
const eventsOf = async (u: TestUser, fax: string) =>
  ((await h.services.eventLog.read(u.sid, 0)) as Array<Record<string, any>>).filter(
    (e) => e['event'] === 'fax_report' && e['fax'] === fax,
  );

describe('POST /api/fax/(uuid)/send (spec 3.13)', () => {
  it('queues the send: report in dial with the page count, fax_report published, one job per report', async () => {
    const res = await sendFax(alice, faxWith3Pages, { from, to: '+492216698711', fax_header: 'ACME' });
    expect(res).toEqual({ status: 'ok', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const report = await statusOf(res['uuid']);
    expect(report).toMatchObject({ status: 'dial', pageCount: 3, faxHeader: 'ACME', incoming: false, from });
    const events = await eventsOf(alice, faxWith3Pages);
    expect(events.at(-1)!['report'][res['uuid']]).toMatchObject({ status: 'dial', to: '+492216698711' });
    const job = await h.services.faxSendQueue.bull().getJob(`fax.send-${res['uuid']}-1`);
    expect(job?.data).toMatchObject({
      report: res['uuid'],
      fax: faxWith3Pages,
      dial: '+492216698711',
      attempt: 1,
    });
    // enqueueing the same attempt again adds nothing
    await h.services.faxSendQueue.enqueue(job!.data);
    expect(await h.services.faxSendQueue.bull().getJobCountByTypes('waiting', 'delayed')).toBe(1);
    // the contents of a fax that was sent are frozen (spec 3.13 wrong-state)
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/fax/${faxWith3Pages}/x.pdf`,
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${alice.sid}` },
      payload: await textPdf(1),
    });
    expect(up.json()['status']).toBe('wrong-state');
  });

  it('answers the spec statuses: wrong-fax, wrong-phone, locked-phone, no-content, wrong-syntax', async () => {
    const bob = await h.user();
    const to = '+492216698711';
    expect((await sendFax(bob, faxWith3Pages, { from, to }))['status']).toBe('wrong-fax');
    expect((await sendFax(alice, faxWith3Pages, { from: '+4930123456', to }))['status']).toBe('wrong-phone');
    const locked = (
      await h.services.db
        .selectFrom('phones')
        .select('number')
        .where('user_uuid', '=', alice.uuid)
        .where('number', '!=', from)
        .executeTakeFirstOrThrow()
    ).number;
    await h.services.db
      .updateTable('phones')
      .set({ unlock_code: '4711' })
      .where('number', '=', locked)
      .execute();
    expect((await sendFax(alice, faxWith3Pages, { from: locked, to }))['status']).toBe('locked-phone');
    const empty = (await h.call('POST', '/api/fax', { sid: alice.sid, body: {} }))['uuid'] as string;
    expect((await sendFax(alice, empty, { from, to }))['status']).toBe('no-content');
    expect((await sendFax(alice, faxWith3Pages, { from, to: '0221' }))['status']).toBe('wrong-syntax');
    expect((await sendFax(alice, faxWith3Pages, { to }))['status']).toBe('missing-element');
  });

  it('forbidden-to when the partner call filter denies the destination for service fax (spec 9.1.3)', async () => {
    const p = await h.partner();
    const { user, numbers } = await userWithNumbers(h, 1, { partner: p });
    const filter = [
      { operator: 'service', key: 'fax', reverse: true, break: true },
      { operator: 'match', key: '^\\+49900', pass: false },
    ];
    expect(
      (
        await h.call('POST', `/api/partner/callfilter/${user.uuid}`, {
          sid: p.sid,
          body: { callfilter: filter },
        })
      )['status'],
    ).toBe('ok');
    const fax = await faxWithPages(user, 1);
    expect((await sendFax(user, fax, { from: numbers[0], to: '+499001234567' }))['status']).toBe(
      'forbidden-to',
    );
    expect((await sendFax(user, fax, { from: numbers[0], to: '+492216698711' }))['status']).toBe('ok');
  });

  it('quota-exceeded when the pages would pass the monthly fax quota (50 pages without packs)', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const fax = await faxWithPages(user, 3);
    // 48 pages already sent this month: 3 more do not fit, used.fax counts them
    const old = await h.services.faxes.createReport({
      fax,
      incoming: false,
      from: numbers[0]!,
      to: '+492216698711',
      status: 'dial',
    });
    await h.services.faxes.updateReport(old.uuid, { status: 'ok', pages: 48 });
    expect((await sendFax(user, fax, { from: numbers[0], to: '+492216698711' }))['status']).toBe(
      'quota-exceeded',
    );
    await h.services.db.updateTable('fax_reports').set({ pages: 47 }).where('uuid', '=', old.uuid).execute();
    expect((await sendFax(user, fax, { from: numbers[0], to: '+492216698711' }))['status']).toBe('ok');
    // the send under way reserves its 3 pages: a second one is refused
    expect((await sendFax(user, fax, { from: numbers[0], to: '+492216698711' }))['status']).toBe(
      'quota-exceeded',
    );
  });
});

/** A queue that keeps what the sender enqueues (the BullMQ one is tested above). */
class MemoryQueue implements FaxSendQueue {
  jobs: Array<{ job: FaxSendJob; delayMs: number }> = [];
  async enqueue(job: FaxSendJob, delayMs = 0): Promise<void> {
    this.jobs.push({ job, delayMs });
  }
  async remove(): Promise<boolean> {
    return false;
  }
}

/** A dialer that plays a script: one outcome per attempt, progress through the hooks. */
function scriptedDialer(outcomes: FaxDialOutcome[]): FaxDialer & { calls: number } {
  const d = {
    calls: 0,
    async send(_req: unknown, hooks: Parameters<FaxDialer['send']>[1]): Promise<FaxDialOutcome> {
      const o = outcomes[d.calls++]!;
      if (o.answered) {
        await hooks.answered(200);
        await hooks.negotiated({
          remoteIdent: '+49 221 6698711',
          bitRate: 14400,
          ecm: true,
          transport: 't38',
        });
        for (let p = 1; p <= (o.pagesDone ?? 0); p++) await hooks.page({ pagesDone: p, pageCount: 3 });
      }
      return o;
    },
  };
  return d;
}

async function queuedSend(fax = faxWith3Pages): Promise<FaxSendJob> {
  const res = await sendFax(alice, fax, { from, to: '+492216698711' });
  expect(res['status']).toBe('ok');
  const job = await h.services.faxSendQueue.bull().getJob(`fax.send-${res['uuid']}-1`);
  await job!.remove();
  return job!.data;
}

describe('FaxSender: attempts, retries, cancel, crash', () => {
  const busy: FaxDialOutcome = { answered: false, sipStatusCode: 486, faxErrorCode: null };
  const ok: FaxDialOutcome = {
    answered: true,
    sipStatusCode: 200,
    faxErrorCode: 0,
    pagesDone: 3,
    remoteIdent: '+49 221 6698711',
    bitRate: 14400,
    ecm: true,
    transport: 't38',
    durationMs: 70_000,
  };
  const sender = (dialer: FaxDialer, queue: FaxSendQueue, retries = 2) =>
    new FaxSender(h.services.faxes, h.services.faxSend, queue, dialer, { retries, retryDelays: [60, 300] });

  it('busy, busy, then through: each attempt in the report, back-off 60 s then 300 s, events in order', async () => {
    const job = await queuedSend();
    const queue = new MemoryQueue();
    const s = sender(scriptedDialer([busy, busy, ok]), queue);
    await s.run(job);
    expect(queue.jobs.map((j) => [j.job.attempt, j.delayMs])).toEqual([[2, 60_000]]);
    await s.run(queue.jobs[0]!.job);
    expect(queue.jobs.map((j) => [j.job.attempt, j.delayMs])).toEqual([
      [2, 60_000],
      [3, 300_000],
    ]);
    await s.run(queue.jobs[1]!.job);
    const r = await statusOf(job.report);
    expect(r).toMatchObject({
      status: 'ok',
      sipStatusCode: 200,
      faxErrorCode: 0,
      pages: 3,
      pageCount: 3,
      remoteIdent: '+49 221 6698711',
      bitRate: 14400,
      ecm: true,
      transport: 't38',
      durationMs: 70_000,
    });
    expect(r.attempts.map((a) => [a.status, a.sipStatusCode])).toEqual([
      ['busy', 486],
      ['busy', 486],
      ['ok', 200],
    ]);
    const walk = (await eventsOf(alice, faxWith3Pages))
      .map((e) => e['report'][job.report])
      .filter((x) => x !== undefined)
      .map((x) => (x.status === 'transmit' ? `transmit:${x.pages_done}/${x.page_count}` : x.status));
    expect(walk).toEqual([
      'dial', // queued
      'dial', // attempt 1
      'dial', // busy, retry queued
      'dial', // attempt 2
      'dial', // busy, retry queued
      'dial', // attempt 3
      'transmit:0/3',
      'transmit:0/3', // phase B: remote CSI, rate
      'transmit:1/3',
      'transmit:2/3',
      'transmit:3/3',
      'ok',
    ]);
  });

  it('ends busy once the retries are used up', async () => {
    const job = await queuedSend();
    const queue = new MemoryQueue();
    const s = sender(scriptedDialer([busy, busy]), queue, 1);
    await s.run(job);
    await s.run(queue.jobs[0]!.job);
    expect(queue.jobs).toHaveLength(1);
    expect(await statusOf(job.report)).toMatchObject({ status: 'busy', sipStatusCode: 486 });
  });

  it('a T.30 failure mid-page is retried; an unreadable document is not', async () => {
    const job = await queuedSend();
    const queue = new MemoryQueue();
    const dropped: FaxDialOutcome = {
      answered: true,
      sipStatusCode: 200,
      faxErrorCode: T30_ERR.CALLDROPPED,
      pagesDone: 1,
    };
    const bad: FaxDialOutcome = {
      answered: true,
      sipStatusCode: 200,
      faxErrorCode: T30_ERR.BADTIFF,
      pagesDone: 0,
    };
    const s = sender(scriptedDialer([dropped, bad]), queue);
    await s.run(job);
    expect(queue.jobs).toHaveLength(1);
    await s.run(queue.jobs[0]!.job);
    expect(queue.jobs).toHaveLength(1);
    expect(await statusOf(job.report)).toMatchObject({ status: 'fail', faxErrorCode: T30_ERR.BADTIFF });
  });

  it('DELETE on the fax while an attempt runs ends it with cancel', async () => {
    const fax = await faxWithPages(alice, 1);
    const job = await queuedSend(fax);
    const queue = new MemoryQueue();
    let release: (o: FaxDialOutcome) => void = () => undefined;
    const dialer: FaxDialer = {
      send: (_r, hooks, signal) =>
        new Promise((resolve) => {
          release = resolve;
          void hooks.answered(200);
          signal.addEventListener('abort', () =>
            resolve({ answered: true, sipStatusCode: 200, faxErrorCode: T30_ERR.CALLDROPPED }),
          );
        }),
    };
    const s = new FaxSender(h.services.faxes, h.services.faxSend, queue, dialer, {
      retries: 3,
      retryDelays: [60],
      cancelPollMs: 20,
    });
    const running = s.run(job);
    for (let i = 0; i < 100 && (await statusOf(job.report)).status !== 'transmit'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await h.call('DELETE', `/api/fax/${fax}`, { sid: alice.sid }))['status']).toBe('ok');
    await running;
    release({ answered: false, sipStatusCode: null, faxErrorCode: null });
    expect(await statusOf(job.report)).toMatchObject({ status: 'cancel' });
    expect(queue.jobs).toHaveLength(0);
  });

  it('a worker killed mid-send: the job started again closes the open attempt and queues a new one', async () => {
    const job = await queuedSend();
    // what a worker leaves behind when it dies in the middle of a call
    await h.services.faxes.updateReport(job.report, {
      status: 'transmit',
      attempts: [{ timeStart: 1, timeEnd: null, status: 'dial', sipStatusCode: null, faxErrorCode: null }],
    });
    const queue = new MemoryQueue();
    const s = sender(scriptedDialer([ok]), queue);
    await s.run(job); // BullMQ's stalled check runs the same job again
    const r = await statusOf(job.report);
    expect(r.status).toBe('dial');
    expect(r.attempts).toEqual([expect.objectContaining({ status: 'fail', timeEnd: expect.any(Number) })]);
    expect(queue.jobs.map((j) => j.job.attempt)).toEqual([2]);
    await s.run(queue.jobs[0]!.job);
    expect((await statusOf(job.report)).status).toBe('ok');
  });
});
