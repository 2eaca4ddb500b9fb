// Days as WeChat counts them: China Standard Time calendar dates wherever the user is (UTC+8
// all year), quick ranges, typed dates, and the records export's file name. Pure functions,
// unit-tested under node; every page's CST arithmetic is here.

/** China Standard Time's offset from UTC, in seconds (no daylight saving). */
export const CST_SECS = 8 * 3600;
const CST_MS = CST_SECS * 1000;
const DAY_MS = 86_400_000;

/** The next CST midnight after `nowMs` (unix milliseconds) — when WeChat's daily quotas reset. */
export function nextCstMidnight(nowMs) {
  return Math.floor((nowMs + CST_MS) / DAY_MS) * DAY_MS + DAY_MS - CST_MS;
}

/**
 * A moment (unix seconds) as date and time in China Standard Time, in the page's language —
 * what the CSV exports and WeChat's days say, whatever the computer's time zone.
 */
export function cstDateTime(secs, langTag) {
  return new Date(secs * 1000).toLocaleString(langTag, { timeZone: 'Asia/Shanghai', hour12: false });
}

/** The time of day (unix seconds) in China Standard Time. */
export function cstTimeOfDay(secs, langTag) {
  return new Date(secs * 1000).toLocaleTimeString(langTag, { timeZone: 'Asia/Shanghai', hour12: false });
}

/** `YYYY-MM-DD` of the CST day containing `ms` (unix milliseconds). */
export function cstDate(ms) {
  return new Date(ms + CST_MS).toISOString().slice(0, 10);
}

/** Today in CST, and `days` days back (for quick ranges). */
export function rangeEndingToday(nowMs, days = 1) {
  return { from: cstDate(nowMs - (days - 1) * DAY_MS), to: cstDate(nowMs) };
}

/** Number of days in `from..=to`, or 0 when invalid or reversed. */
export function dayCount(from, to) {
  const f = Date.parse(`${from}T00:00:00Z`);
  const t = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(f) || Number.isNaN(t) || t < f) return 0;
  return Math.round((t - f) / DAY_MS) + 1;
}

/** A file name for the export, e.g. `kefu-records-2026-11-01_2026-11-23.csv`. */
export function exportName(from, to) {
  return from === to ? `kefu-records-${from}.csv` : `kefu-records-${from}_${to}.csv`;
}

/** Whole-number percentage of the windows done. */
export function percent(done, total) {
  return total > 0 ? Math.floor((100 * done) / total) : 0;
}

/**
 * A day the user typed, as `YYYY-MM-DD`: `2026-11-20`, `2026/11/20`, `2026.11.20`, `2026-1-5`
 * or `2026年11月20日`; null when it is no calendar day (2026-02-30, 20261120, 11/20/2026 —
 * month-first dates are ambiguous and refused rather than guessed).
 */
export function parseDay(text) {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text ?? '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** The quick ranges the page offers, in order. */
export const QUICK_RANGES = ['today', 'yesterday', 'last7', 'thisMonth', 'lastMonth'];

/** A quick range as CST days: today, yesterday, the last 7 or 30 days, this month so far, last month. */
export function quickRange(nowMs, kind) {
  const today = cstDate(nowMs);
  const [y, m] = today.split('-').map(Number);
  const monthStart = (yy, mm) => new Date(Date.UTC(yy, mm - 1, 1)).toISOString().slice(0, 10);
  switch (kind) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const d = cstDate(nowMs - DAY_MS);
      return { from: d, to: d };
    }
    case 'last7':
      return rangeEndingToday(nowMs, 7);
    case 'last30':
      return rangeEndingToday(nowMs, 30);
    case 'thisMonth':
      return { from: monthStart(y, m), to: today };
    case 'lastMonth': {
      const from = monthStart(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1);
      return { from, to: cstDate(Date.parse(`${monthStart(y, m)}T00:00:00Z`) - CST_MS - 1) };
    }
    default:
      throw new Error(`no quick range ${kind}`);
  }
}
