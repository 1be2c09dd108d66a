/**
 * withFields: every line of a call's flow carries the call's uuid and SIP
 * Call-ID, as pino child loggers do, without touching the silent logger.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { silentLogger, withFields, type Logger } from '../../src/telephony/engine/logger.js';

describe('withFields', () => {
  it('adds the fields to every level, the line’s own fields winning', () => {
    const seen: Array<[string, object, string | undefined]> = [];
    const base: Logger = {
      debug: (o, m) => seen.push(['debug', o, m]),
      info: (o, m) => seen.push(['info', o, m]),
      warn: (o, m) => seen.push(['warn', o, m]),
      error: (o, m) => seen.push(['error', o, m]),
    };
    const log = withFields(base, { call: 'c-1', callId: 'abc@host' });
    const err = new Error('boom');
    log.debug({ a: 1 }, 'd');
    log.info({}, 'i');
    log.warn({ err }, 'w');
    log.error({ callId: 'other' }, 'e');
    expect(seen).toEqual([
      ['debug', { call: 'c-1', callId: 'abc@host', a: 1 }, 'd'],
      ['info', { call: 'c-1', callId: 'abc@host' }, 'i'],
      ['warn', { call: 'c-1', callId: 'abc@host', err }, 'w'],
      ['error', { call: 'c-1', callId: 'other' }, 'e'],
    ]);
    // The error object itself is passed on (pino serialises its stack).
    expect((seen[2]![1] as { err: unknown }).err).toBe(err);
  });

  it('makes a pino child where the logger has one', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    withFields(log, { call: 'c-2', callId: 'x@y' }).info({ step: 'route' }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ call: 'c-2', callId: 'x@y', step: 'route', msg: 'hello' });
  });

  it('leaves the silent logger as it is (no cost per call when logging is off)', () => {
    expect(withFields(silentLogger, { call: 'x' })).toBe(silentLogger);
  });
});
