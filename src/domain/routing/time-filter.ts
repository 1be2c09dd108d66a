/**
 * The `filter.time` criteria of a dialplan v2 profile (spec 4.1), in UTC.
 *
 * Semantics (where the spec is silent, the choice is noted):
 * - `time_start` is inclusive, `time_end` exclusive (07:30-13:00 matches 12:59,
 *   not 13:00). Only `time_start`: until midnight. Only `time_end`: from 00:00.
 * - "If `time_start` is not earlier than the `time_end`, then the `time_end`
 *   refers to the following day": the window crosses midnight (equal times =
 *   24 hours from `time_start`). The part after midnight belongs to the day the
 *   window started on, so `weekdays: [FRI]` with 22:00-06:00 matches Saturday
 *   03:00 and not Friday 03:00; `date`, `date_start` and `date_end` likewise.
 * - `date_start` and `date_end` are inclusive ("doesn't follow" / "doesn't
 *   precede"); `date_end` before `date_start` matches nothing.
 * - An empty `weekdays` list matches no day (it lists none).
 * - A malformed date or time (the API refuses them; stored data is not
 *   trusted to be clean) makes the filter match nothing instead of throwing.
 */
import type { TimeFilter, Weekday } from './types.js';

const DAY_MS = 86_400_000;
const WEEKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

export interface CompiledTimeFilter {
  /** False when a field is malformed: the filter matches nothing. */
  valid: boolean;
  /** Bit i set = WEEKDAYS[i] allowed; null = any day. */
  weekdays: number | null;
  /** Days since 1970-01-01 (UTC); null = unrestricted. */
  date: number | null;
  dateStart: number | null;
  dateEnd: number | null;
  /** Minutes after midnight; null = unrestricted side. */
  start: number | null;
  end: number | null;
}

/** `dd.MM.yyyy` → days since the epoch, or null when not a real calendar date. */
export function parseDay(text: string): number | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const y = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.floor(ms / DAY_MS);
}

/** `hh:mm` → minutes after midnight (00:00-23:59, and 24:00 as the day's end). */
export function parseMinute(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

export function compileTimeFilter(t: TimeFilter): CompiledTimeFilter {
  let valid = true;
  const day = (s: string | undefined): number | null => {
    if (s === undefined) return null;
    const v = parseDay(s);
    if (v === null) valid = false;
    return v;
  };
  const minute = (s: string | undefined): number | null => {
    if (s === undefined) return null;
    const v = parseMinute(s);
    if (v === null) valid = false;
    return v;
  };
  let weekdays: number | null = null;
  if (t.weekdays !== undefined) {
    weekdays = 0;
    for (const w of t.weekdays) {
      const i = WEEKDAYS.indexOf(w);
      if (i < 0) valid = false;
      else weekdays |= 1 << i;
    }
  }
  return {
    weekdays,
    date: day(t.date),
    dateStart: day(t.date_start),
    dateEnd: day(t.date_end),
    start: minute(t.time_start),
    end: minute(t.time_end),
    valid,
  };
}

function dayMatches(f: CompiledTimeFilter, day: number): boolean {
  if (f.date !== null && day !== f.date) return false;
  if (f.dateStart !== null && day < f.dateStart) return false;
  if (f.dateEnd !== null && day > f.dateEnd) return false;
  if (f.weekdays !== null) {
    // 1970-01-01 was a Thursday (index 3 with MON = 0).
    const wd = (((day + 3) % 7) + 7) % 7;
    if ((f.weekdays & (1 << wd)) === 0) return false;
  }
  return true;
}

/** Does the filter match the instant `nowMs` (milliseconds since the epoch, UTC)? */
export function timeFilterMatches(f: CompiledTimeFilter, nowMs: number): boolean {
  if (!f.valid || !Number.isFinite(nowMs)) return false;
  const today = Math.floor(nowMs / DAY_MS);
  const minute = Math.floor((nowMs - today * DAY_MS) / 60_000);
  const start = f.start ?? 0;
  const end = f.end ?? 1440;
  if (f.start === null || f.end === null || start < end) {
    return minute >= start && minute < end && dayMatches(f, today);
  }
  // Crosses midnight: [start, 24:00) today, or [00:00, end) of yesterday's window.
  if (minute >= start) return dayMatches(f, today);
  if (minute < end) return dayMatches(f, today - 1);
  return false;
}
