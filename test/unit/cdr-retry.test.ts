/**
 * A CDR whose write fails for want of the database is tried again with
 * back-off (the process owning the embedded database restarting); one the
 * service refuses as invalid is not.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CdrError } from '../../src/domain/cdr/cdr.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { recordWithRetry } from '../../src/telephony/node.js';

afterEach(() => {
  vi.useRealTimers();
});

const input = { id: 'cdr-1' } as unknown as Parameters<typeof recordWithRetry>[1];

describe('recordWithRetry', () => {
  it('tries again after 0.5 s, 1 s, 2 s while the database is away, then resolves', async () => {
    vi.useFakeTimers();
    const record = vi
      .fn()
      .mockRejectedValueOnce(new Error('the database owner process closed the connection'))
      .mockRejectedValueOnce(new Error('ECONNREFUSED'))
      .mockRejectedValueOnce(new Error('ECONNREFUSED'))
      .mockResolvedValueOnce({ id: 'cdr-1' });
    const done = recordWithRetry({ cdrs: { record } } as never, input, silentLogger);
    await vi.advanceTimersByTimeAsync(499);
    expect(record).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(record).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    await expect(done).resolves.toEqual({ id: 'cdr-1' });
    expect(record).toHaveBeenCalledTimes(4);
    expect(record.mock.calls.every((c) => c[0] === input)).toBe(true);
  });

  it('gives up on an invalid CDR at once, and on a database away for good after the last back-off', async () => {
    const invalid = vi.fn().mockRejectedValue(new CdrError('q850 must be a Q.850 cause 0...127'));
    await expect(
      recordWithRetry({ cdrs: { record: invalid } } as never, input, silentLogger),
    ).rejects.toThrow(CdrError);
    expect(invalid).toHaveBeenCalledTimes(1);
    vi.useFakeTimers();
    const away = vi.fn().mockRejectedValue(new Error('gone'));
    const done = recordWithRetry({ cdrs: { record: away } } as never, input, silentLogger);
    const settled = expect(done).rejects.toThrow('gone');
    await vi.advanceTimersByTimeAsync(200_000);
    await settled;
    expect(away).toHaveBeenCalledTimes(9);
  });
});
