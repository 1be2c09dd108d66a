/**
 * Fax over the line on the engine (fake adapter, fake clock): the report's
 * walk as the fax send worker (FaxSender) drives the engine's FaxDialer —
 * dial, transmit with per-page progress, ok / fail / busy / cancel, retries
 * — and reception on fax_enable numbers into the inbox, with CNG deciding
 * between fax and the voice box.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { T30_ERR } from '../../src/domain/fax/t30.js';
import { parseCallFilter } from '../../src/domain/policy/call-filter.js';
import { re2CallFilterCompiler } from '../../src/lib/re2-call-filter.js';
import type { FaxSendJob, FaxSendQueue } from '../../src/services/fax-send.js';
import type { IncomingFax, ReceiveResult } from '../../src/services/fax-inbox.js';
import type { FaxAttempt, FaxReport } from '../../src/services/fax-reports.js';
import { FaxSender } from '../../src/services/fax-sender.js';
import { EngineFaxDialer } from '../../src/telephony/engine/fax-line.js';
import type { FaxReceiveDeps } from '../../src/telephony/engine/fax-types.js';
import { engineHarness, type EngineHarness } from '../fakes/engine-harness.js';
import { settle, until, useEngineClock } from './clock.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await engineHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  useEngineClock();
  h.adapter.outbound.length = 0;
  h.adapter.media.faxes.length = 0;
  h.cdrs.length = 0;
});
afterEach(() => {
  h.registry.hangupAll();
  vi.useRealTimers();
});

/** The reports the sender writes, in memory; every update is logged as the fax_report event would be. */
class Reports {
  readonly reports = new Map<string, FaxReport>();
  readonly log: Array<{ status: string; pages: number | null; pageCount: number | null }> = [];
  cancel = false;
  readonly queued: Array<{ job: FaxSendJob; delayMs: number }> = [];

  create(uuid: string): void {
    this.reports.set(uuid, {
      uuid,
      status: 'dial',
      attempts: [],
      pages: null,
      pageCount: 3,
    } as unknown as FaxReport);
  }

  readonly faxes = {
    report: async (uuid: string) => this.reports.get(uuid) ?? null,
    updateReport: async (uuid: string, patch: Partial<FaxReport>) => {
      const r = { ...this.reports.get(uuid)!, ...patch };
      this.reports.set(uuid, r);
      this.log.push({ status: r.status, pages: r.pages ?? null, pageCount: r.pageCount ?? null });
      return r;
    },
    contentTiff: async () => ({ tiff: '/faxes/doc.tif', pageCount: 3 }),
  };

  readonly sends = { cancelRequested: async () => this.cancel };

  readonly queue: FaxSendQueue = {
    enqueue: async (job: FaxSendJob, delayMs = 0) => void this.queued.push({ job, delayMs }),
    remove: async () => false,
  };

  /** Statuses in order, repeats folded. */
  walk(): string[] {
    return this.log.map((l) => l.status).filter((s, i, all) => i === 0 || all[i - 1] !== s);
  }
}

let n = 0;
function job(report: string): FaxSendJob {
  n += 1;
  return {
    report,
    fax: `fax-${n}`,
    owner: 'alice',
    from: '+4930111000',
    dial: '+4930222000',
    ident: 'ALICE',
    header: 'ACME GmbH',
    attempt: 1,
  };
}

function sender(r: Reports): FaxSender {
  const dialer = new EngineFaxDialer(h.engine.ctx, { t38: true, ringTimeoutMs: 30_000 });
  return new FaxSender(r.faxes as never, r.sends, r.queue, dialer, {
    retries: 2,
    retryDelays: [60, 300],
    cancelPollMs: 1000,
  });
}

describe('sending a fax (FaxSender on the engine’s FaxDialer)', () => {
  it('dial -> transmit with pages 0..3 -> ok; T.38 asked, header and ident passed; CDR of service fax with the pages', async () => {
    const r = new Reports();
    r.create('rep-ok');
    const j = job('rep-ok');
    const running = sender(r).run(j);
    const leg = await h.adapter.nextOutbound(0);
    expect(leg.request.target).toEqual({ kind: 'trunk', number: '+4930222000' });
    expect(leg.request.from.number).toBe('+4930111000');
    expect(r.walk()).toEqual(['dial']);
    leg.answer();
    const fax = await h.adapter.media.nextFax(0);
    expect(fax.opts).toMatchObject({
      direction: 'send',
      ident: 'ALICE',
      header: 'ACME GmbH',
      tiff: '/faxes/doc.tif',
      t38: true,
    });
    fax.switchToT38();
    fax.negotiate({ remoteIdent: 'BOB FAX', bitRate: 14400, ecm: true });
    for (let p = 0; p < 3; p++) {
      await vi.advanceTimersByTimeAsync(20_000);
      fax.page(3);
    }
    fax.end(0);
    await running;
    expect(r.walk()).toEqual(['dial', 'transmit', 'ok']);
    const transmitting = r.log.filter((l) => l.status === 'transmit').map((l) => l.pages);
    expect(transmitting[0]).toBe(0);
    expect(transmitting.at(-1)).toBe(3);
    const end = r.reports.get('rep-ok')!;
    expect(end).toMatchObject({
      status: 'ok',
      sipStatusCode: 200,
      faxErrorCode: 0,
      pages: 3,
      remoteIdent: 'BOB FAX',
      bitRate: 14400,
      ecm: true,
      transport: 't38',
    });
    expect(end.attempts).toHaveLength(1);
    expect(leg.state).toBe('ended');
    await until(() => h.cdrs.length === 1, 'the CDR');
    expect(h.cdrs[0]).toMatchObject({
      service: 'fax',
      phone: '+4930111000',
      b_number: '+4930222000',
      fax_id: j.fax,
      page_count: 3,
      userId: 'alice',
    });
  });

  it('busy: the attempt ends busy (486) and the next one is queued after the first back-off', async () => {
    const r = new Reports();
    r.create('rep-busy');
    const running = sender(r).run(job('rep-busy'));
    const leg = await h.adapter.nextOutbound(0);
    leg.fail('busy');
    await running;
    const rep = r.reports.get('rep-busy')!;
    expect(rep.status).toBe('dial');
    expect(rep.attempts.map((a: FaxAttempt) => [a.status, a.sipStatusCode])).toEqual([['busy', 486]]);
    expect(r.queued).toEqual([{ job: expect.objectContaining({ attempt: 2 }), delayMs: 60_000 }]);
    expect(h.adapter.media.faxes).toHaveLength(0);
  });

  it('no answer within the ring time: fail with 408, retried', async () => {
    const r = new Reports();
    r.create('rep-noanswer');
    const running = sender(r).run(job('rep-noanswer'));
    const leg = await h.adapter.nextOutbound(0);
    leg.ring();
    await vi.advanceTimersByTimeAsync(30_000);
    await running;
    expect(leg.state).toBe('ended');
    const rep = r.reports.get('rep-noanswer')!;
    expect(rep.attempts.map((a: FaxAttempt) => [a.status, a.sipStatusCode])).toEqual([['fail', 408]]);
    expect(r.queued).toHaveLength(1);
  });

  it('the far end hangs up after page 1: fail with the T.30 call-dropped code, pages_done 1, retried', async () => {
    const r = new Reports();
    r.create('rep-drop');
    const running = sender(r).run(job('rep-drop'));
    const leg = await h.adapter.nextOutbound(0);
    leg.answer();
    const fax = await h.adapter.media.nextFax(0);
    fax.negotiate();
    fax.page(3);
    leg.remoteHangup();
    await running;
    const rep = r.reports.get('rep-drop')!;
    expect(rep.attempts.map((a: FaxAttempt) => [a.status, a.faxErrorCode])).toEqual([
      ['fail', T30_ERR.CALLDROPPED],
    ]);
    expect(r.log.some((l) => l.status === 'transmit' && l.pages === 1)).toBe(true);
    expect(r.queued).toHaveLength(1);
  });

  it('a cancel while transmitting ends the call and the report with cancel, no retry', async () => {
    const r = new Reports();
    r.create('rep-cancel');
    const running = sender(r).run(job('rep-cancel'));
    const leg = await h.adapter.nextOutbound(0);
    leg.answer();
    const fax = await h.adapter.media.nextFax(0);
    fax.negotiate();
    r.cancel = true;
    await vi.advanceTimersByTimeAsync(1000);
    await running;
    expect(r.reports.get('rep-cancel')!.status).toBe('cancel');
    expect(fax.ended?.faxErrorCode).toBe(T30_ERR.CALLDROPPED);
    expect(leg.state).toBe('ended');
    expect(r.queued).toHaveLength(0);
  });

  it('the call filter refuses service fax: no call, fail with 403, not retried', async () => {
    const r = new Reports();
    r.create('rep-filter');
    // Fax calls to +4930222 are refused; other services pass.
    h.directory.policies.set('alice', {
      callFilter: parseCallFilter(
        [
          { operator: 'service', key: 'fax', reverse: true, break: true },
          { operator: 'match', key: '^\\+4930222', pass: false },
        ],
        re2CallFilterCompiler,
      ),
    });
    try {
      await sender(r).run(job('rep-filter'));
    } finally {
      h.directory.policies.delete('alice');
    }
    expect(h.adapter.outbound).toHaveLength(0);
    const rep = r.reports.get('rep-filter')!;
    expect(rep.status).toBe('fail');
    expect(rep.attempts.map((a: FaxAttempt) => [a.status, a.sipStatusCode])).toEqual([['fail', 403]]);
    expect(r.queued).toHaveLength(0);
  });
});

/** Reception: a fake inbox records what the engine reports. */
function inbox() {
  const calls: string[] = [];
  let result: ReceiveResult | null = null;
  const incoming: IncomingFax = {
    fax: 'rx-fax',
    report: 'rx-report',
    owner: 'bob',
    from: '',
    to: '',
    output: '/tmp/rx.tif',
  };
  const deps: FaxReceiveDeps = {
    t38: true,
    inbox: {
      startReceive: async (input) => {
        calls.push(`start ${input.from} -> ${input.to}`);
        return { ...incoming, ...input };
      },
      pageReceived: async (_i, pages) => void calls.push(`page ${pages}`),
      finishReceive: async (_i, r) => {
        result = r;
        calls.push(`finish ${r.status}`);
        return {
          push:
            r.pagesDone > 0
              ? { owner: 'bob', fax: 'rx-fax', phone: _i.from, page_count: String(r.pagesDone) }
              : null,
        };
      },
    },
    pushFaxNew: async (owner, fax, phone, pages) => void calls.push(`push ${owner} ${fax} ${phone} ${pages}`),
  };
  return { calls, deps, result: () => result };
}

let num = 0;
function faxNumber(phone: Record<string, unknown>): string {
  num += 1;
  const to = `+4930${String(7770000 + num)}`;
  h.directory.numbers.set(to, { owner: 'bob', phone: { conference_enable: false, ...phone } });
  return to;
}

describe('receiving on a fax_enable number (receiveFax)', () => {
  afterEach(() => {
    delete h.engine.ctx.fax;
  });

  it('fax only: answers, receives (T.38 allowed) into the inbox with pages, ok, push', async () => {
    const rx = inbox();
    h.engine.ctx.fax = rx.deps;
    const to = faxNumber({ fax_enable: true, recording_enable: false });
    const caller = h.adapter.dialIn({
      called: to.slice(1),
      caller: { number: '+4930999', display: null, clir: false },
    });
    const fax = await h.adapter.media.nextFax(0);
    expect(caller.state).toBe('answered');
    expect(fax.opts).toMatchObject({ direction: 'receive', ident: to, output: '/tmp/rx.tif', t38: true });
    fax.negotiate({ remoteIdent: 'CALLER' });
    fax.page();
    fax.page();
    fax.end(0);
    await until(() => rx.calls.includes('finish ok'), 'the end');
    await settle();
    expect(rx.calls).toEqual([
      `start +4930999 -> ${to}`,
      'page 1',
      'page 2',
      'finish ok',
      'push bob rx-fax +4930999 2',
    ]);
    expect(rx.result()).toMatchObject({ status: 'ok', faxErrorCode: 0, pagesDone: 2, sipStatusCode: 200 });
    expect(caller.state).toBe('ended');
  });

  it('the caller hangs up mid-fax: fail with the call-dropped code, no push without pages', async () => {
    const rx = inbox();
    h.engine.ctx.fax = rx.deps;
    const to = faxNumber({ fax_enable: true, recording_enable: false });
    const caller = h.adapter.dialIn({ called: to.slice(1) });
    await h.adapter.media.nextFax(0);
    caller.remoteHangup();
    await until(() => rx.calls.includes('finish fail'), 'the end');
    expect(rx.result()).toMatchObject({ status: 'fail', faxErrorCode: T30_ERR.CALLDROPPED, pagesDone: 0 });
    expect(rx.calls.some((c) => c.startsWith('push'))).toBe(false);
  });

  it('fax with a voice box: CNG during the announcement decides fax', async () => {
    const rx = inbox();
    h.engine.ctx.fax = rx.deps;
    const to = faxNumber({ fax_enable: true, recording_enable: true });
    const caller = h.adapter.dialIn({ called: to.slice(1) });
    await until(() => h.adapter.media.nowPlaying(caller) !== null, 'the announcement');
    h.adapter.media.faxTone(caller);
    const fax = await h.adapter.media.nextFax(0);
    expect(fax.opts.direction).toBe('receive');
    fax.page();
    fax.end(0);
    await until(() => rx.calls.includes('finish ok'), 'the end');
    expect(h.adapter.media.recordings).toHaveLength(0);
  });

  it('fax with a voice box: no CNG by the end of the announcement goes to the voice box', async () => {
    const rx = inbox();
    h.engine.ctx.fax = rx.deps;
    const to = faxNumber({ fax_enable: true, recording_enable: true });
    const caller = h.adapter.dialIn({ called: to.slice(1) });
    await until(() => h.adapter.media.nowPlaying(caller) !== null, 'the announcement');
    await vi.advanceTimersByTimeAsync(1100);
    await settle();
    // leave-message prompt, then the beep, then the recording
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(h.adapter.media.faxes).toHaveLength(0);
    expect(rx.calls).toEqual([]);
    const before = h.adapter.media.recordings.length;
    caller.remoteHangup();
    await until(() => h.adapter.media.recordings.length === before + 1, 'the voice message');
  });
});
