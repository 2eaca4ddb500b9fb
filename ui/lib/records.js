// Records page logic: CST calendar dates (WeChat's days are China Standard Time wherever the
// user is), the default range, the export file name. Pure functions, unit-tested under node.

const CST_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

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
