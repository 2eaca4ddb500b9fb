//! China Standard Time days, the day boundary WeChat counts by (daily quotas, statistics, chat
//! record windows): where a day starts, how a span is cut into days, how a time is written.
//! China has no daylight saving time: a day is always 86 400 s, starting at 16:00 UTC the day
//! before. The desktop app, the server and the sandboxes all count days here.

use chrono::{FixedOffset, NaiveDate, TimeZone};

/// UTC+8, in seconds.
pub const CST_OFFSET_SECS: i64 = 8 * 3600;
/// Seconds in a day (every CST day).
pub const DAY: i64 = 86_400;

/// A span within one CST day, `start..=end` in unix seconds — a `getmsglist` window (WeChat
/// includes both ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

fn cst() -> FixedOffset {
    FixedOffset::east_opt(CST_OFFSET_SECS as i32).expect("UTC+8")
}

/// The start (unix seconds) of the China Standard Time day holding `t`.
pub fn cst_day_start(t: i64) -> i64 {
    (t + CST_OFFSET_SECS).div_euclid(DAY) * DAY - CST_OFFSET_SECS
}

/// The number of the CST day holding `t` (days since 1970-01-01 CST), to compare days.
pub fn cst_day_number(t: i64) -> i64 {
    (t + CST_OFFSET_SECS).div_euclid(DAY)
}

/// The windows covering `start..end` (end exclusive), cut at CST midnights, none longer than
/// a day and none overlapping.
pub fn cst_windows(start: i64, end: i64) -> Vec<Window> {
    let mut out = Vec::new();
    let mut s = start;
    while s < end {
        let next_midnight = cst_day_start(s) + DAY;
        let e = next_midnight.min(end);
        // WeChat needs end > start (65417): a one-second tail — "now" exactly at a CST
        // midnight — cannot be asked for yet and is left to the next fetch.
        if e - 1 > s {
            out.push(Window { start: s, end: e - 1 });
        }
        s = e;
    }
    out
}

/// `from..=to` as CST calendar days (`YYYY-MM-DD`) → unix `start..end` (end exclusive), or
/// `None` when a date is not valid or `to` is before `from`.
pub fn cst_date_range(from: &str, to: &str) -> Option<(i64, i64)> {
    let parse = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
    let (f, t) = (parse(from)?, parse(to)?);
    if t < f {
        return None;
    }
    let midnight = |d: NaiveDate| cst().from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single().map(|x| x.timestamp());
    Some((midnight(f)?, midnight(t)? + DAY))
}

/// `YYYY-MM-DD HH:MM:SS` in China Standard Time.
pub fn format_cst(t: i64) -> String {
    cst().timestamp_opt(t, 0).single().map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-01 00:00 CST.
    const NOV1: i64 = 1_793_462_400;

    #[test]
    fn days_are_cut_at_cst_midnight() {
        assert_eq!(format_cst(NOV1), "2026-11-01 00:00:00");
        assert_eq!(cst_date_range("2026-11-01", "2026-11-01"), Some((NOV1, NOV1 + DAY)));
        assert_eq!(cst_date_range("2026-11-01", "2026-11-03"), Some((NOV1, NOV1 + 3 * DAY)));
        assert_eq!(cst_date_range("2026-11-03", "2026-11-01"), None);
        assert_eq!(cst_date_range("2026-02-30", "2026-03-01"), None);
        let w = cst_windows(NOV1, NOV1 + 3 * DAY);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0], Window { start: NOV1, end: NOV1 + DAY - 1 });
        assert_eq!(w[2], Window { start: NOV1 + 2 * DAY, end: NOV1 + 3 * DAY - 1 });
        assert!(w.iter().all(|w| w.end - w.start < DAY));
    }

    #[test]
    fn no_window_is_empty_when_now_is_exactly_a_cst_midnight() {
        // "Up to now" is `now + 1`: at midnight the last second is the new day's first.
        let w = cst_windows(NOV1 - 3600, NOV1 + 1);
        assert_eq!(w, vec![Window { start: NOV1 - 3600, end: NOV1 - 1 }]);
        assert!(cst_windows(NOV1, NOV1 + 1).is_empty());
        assert_eq!(cst_windows(NOV1, NOV1 + 2), vec![Window { start: NOV1, end: NOV1 + 1 }]);
        for end in NOV1 - 5..NOV1 + 5 {
            assert!(cst_windows(NOV1 - DAY, end).iter().all(|w| w.end > w.start), "end {end}");
        }
    }

    #[test]
    fn partial_days_and_long_ranges() {
        // 10:00 on Nov 1 to 09:00 on Nov 2: two windows, cut at midnight.
        let w = cst_windows(NOV1 + 36_000, NOV1 + DAY + 32_400);
        assert_eq!(
            w,
            vec![
                Window { start: NOV1 + 36_000, end: NOV1 + DAY - 1 },
                Window { start: NOV1 + DAY, end: NOV1 + DAY + 32_399 }
            ]
        );
        assert!(cst_windows(NOV1, NOV1).is_empty());
        // A leap year's 366 days, DST-free: every window is exactly a day.
        let (s, e) = cst_date_range("2028-01-01", "2028-12-31").unwrap();
        let w = cst_windows(s, e);
        assert_eq!(w.len(), 366);
        assert!(w.iter().all(|w| w.end - w.start == DAY - 1));
        assert!(w.windows(2).all(|p| p[0].end + 1 == p[1].start));
    }
}
