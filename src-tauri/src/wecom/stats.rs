//! WeCom statistics over any range (document/path/95489 get_corp_statistic, 95490
//! get_servicer_statistic): the range is checked against what WeCom keeps (the last 180 CST days,
//! up to yesterday — today's figures come the next day), split into the ≤31-day windows one call
//! may span, and read window by window; "all kf accounts" is the sum of one call per account
//! (the current doc requires `open_kfid`). A day WeCom lists without figures, or leaves out, has
//! no data — never zeros.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::wechat::cst::cst_day_start as cst_day;
use crate::wechat::error::ApiError;
use crate::wechat::wecom::{DayStatistic, WecomClient, MAX_DAYS_PER_CALL};

const DAY: i64 = 86_400;
/// How far back WeCom answers, in days.
pub const MAX_DAYS_BACK: i64 = 180;

/// Rates cannot be added up: across accounts (or servicers) each is averaged, weighted by the
/// count it is a share of.
const RATES: [(&str, &str); 8] = [
    ("ai_transfer_rate", "ai_session_reply_cnt"),
    ("ai_knowledge_hit_rate", "ai_session_reply_cnt"),
    ("reply_rate", "session_cnt"),
    ("first_reply_average_sec", "session_cnt"),
    ("satisfaction_participation_rate", "satisfaction_investgate_cnt"),
    ("satisfied_rate", "satisfaction_investgate_cnt"),
    ("middling_rate", "satisfaction_investgate_cnt"),
    ("dissatisfied_rate", "satisfaction_investgate_cnt"),
];

/// Why a range cannot be read as asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RangeProblem {
    /// The end is before the start.
    Reversed,
    /// WeCom answers only from `earliest` (a CST day start) on.
    TooOld { earliest: i64 },
    /// Nothing before today was asked for: today's figures come tomorrow.
    NoDataYet,
}

/// Why reading stopped.
#[derive(Debug)]
pub enum StatsError {
    Range(RangeProblem),
    Api(ApiError),
    Cancelled,
}

impl From<ApiError> for StatsError {
    fn from(e: ApiError) -> Self {
        StatsError::Api(e)
    }
}

/// The days asked for (`from`..=`to`, any times within them) that WeCom can have figures for,
/// as the windows of at most 31 days one call may span (day starts, both ends included).
pub fn windows(from: i64, to: i64, now: i64) -> Result<Vec<(i64, i64)>, RangeProblem> {
    let (from, to, today) = (cst_day(from), cst_day(to), cst_day(now));
    if to < from {
        return Err(RangeProblem::Reversed);
    }
    let earliest = today - MAX_DAYS_BACK * DAY;
    if from < earliest {
        return Err(RangeProblem::TooOld { earliest });
    }
    let last = to.min(today - DAY);
    if last < from {
        return Err(RangeProblem::NoDataYet);
    }
    let mut out = Vec::new();
    let mut start = from;
    while start <= last {
        let end = (start + (MAX_DAYS_PER_CALL - 1) * DAY).min(last);
        out.push((start, end));
        start = end + DAY;
    }
    Ok(out)
}

/// One day's figures (field names as WeCom sends them), or none when WeCom has no data for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StatDay {
    pub day: i64,
    pub figures: Option<Map<String, Value>>,
}

/// Every day of `days`, each the combination of the parts (accounts or servicers) that have
/// figures for it: counts added, rates averaged weighted by their basis; no part → no data.
pub fn combine(parts: &[Vec<DayStatistic>], days: &[i64]) -> Vec<StatDay> {
    let mut by_day: BTreeMap<i64, Vec<&Map<String, Value>>> = days.iter().map(|&d| (d, Vec::new())).collect();
    for part in parts {
        for d in part {
            if let (Some(list), Some(stat)) = (by_day.get_mut(&cst_day(d.stat_time)), d.statistic.as_ref()) {
                list.push(stat);
            }
        }
    }
    by_day
        .into_iter()
        .map(|(day, stats)| StatDay { day, figures: (!stats.is_empty()).then(|| add_up(&stats)) })
        .collect()
}

fn add_up(stats: &[&Map<String, Value>]) -> Map<String, Value> {
    let num = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_f64);
    let mut out = Map::new();
    let keys: std::collections::BTreeSet<&String> = stats.iter().flat_map(|m| m.keys()).collect();
    for k in keys {
        if let Some((_, basis)) = RATES.iter().find(|(rate, _)| rate == k) {
            let (mut sum, mut weight, mut plain, mut n) = (0.0, 0.0, 0.0, 0.0);
            for m in stats {
                if let Some(v) = num(m, k) {
                    let w = num(m, basis).unwrap_or(0.0);
                    sum += v * w;
                    weight += w;
                    plain += v;
                    n += 1.0;
                }
            }
            // With no basis anywhere (nothing to weigh by), the plain average.
            let v = if weight > 0.0 { sum / weight } else { plain / n };
            out.insert(k.clone(), serde_json::json!(v));
        } else {
            let total: f64 = stats.iter().filter_map(|m| num(m, k)).sum();
            out.insert(k.clone(), serde_json::json!(total as u64));
        }
    }
    out
}

/// The CST day starts of `windows`, in order.
pub fn days_of(windows: &[(i64, i64)]) -> Vec<i64> {
    windows.iter().flat_map(|&(a, b)| (0..=(b - a) / DAY).map(move |i| a + i * DAY)).collect()
}

/// Which figures to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// The account summary (get_corp_statistic).
    Corp,
    /// A servicer's figures, or with `None` the account's servicer aggregate.
    Servicer(Option<&'a str>),
}

/// The figures of `open_kfids` (summed) for the days `from..=to`, one call per account and
/// window; `progress(done, total)` after each call; stops between calls when `cancel` is set.
pub async fn read(
    client: &WecomClient,
    source: Source<'_>,
    open_kfids: &[String],
    range: (i64, i64, i64),
    cancel: &AtomicBool,
    progress: impl FnMut(usize, usize),
) -> Result<Vec<StatDay>, StatsError> {
    let (days, _, refused) = read_each(client, source, open_kfids, range, cancel, progress).await?;
    match refused.into_iter().next() {
        Some((_, e)) => Err(StatsError::Api(e)),
        None => Ok(days),
    }
}

/// The same, but an account whose figures WeCom refuses (one this app may not manage, 48002)
/// is left out instead of emptying the page: the sum of the accounts read, the accounts read,
/// and the refused ones with WeCom's answer. A fault that is not WeCom's answer about one
/// account (the network, a cancel) still ends the read.
pub async fn read_each(
    client: &WecomClient,
    source: Source<'_>,
    open_kfids: &[String],
    (from, to, now): (i64, i64, i64),
    cancel: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Vec<StatDay>, Vec<String>, Vec<(String, ApiError)>), StatsError> {
    let wins = windows(from, to, now).map_err(StatsError::Range)?;
    let total = wins.len() * open_kfids.len();
    let (mut parts, mut read, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    let mut done = 0;
    for kfid in open_kfids {
        let tick = &mut || {
            done += 1;
            progress(done, total);
        };
        match read_account(client, source, kfid, &wins, cancel, tick).await {
            Ok(part) => {
                parts.push(part);
                read.push(kfid.clone());
            }
            Err(StatsError::Api(e @ ApiError::WeChat { .. })) => refused.push((kfid.clone(), e)),
            Err(e) => return Err(e),
        }
    }
    Ok((combine(&parts, &days_of(&wins)), read, refused))
}

/// One account's figures, window by window.
async fn read_account(
    client: &WecomClient,
    source: Source<'_>,
    kfid: &str,
    wins: &[(i64, i64)],
    cancel: &AtomicBool,
    tick: &mut impl FnMut(),
) -> Result<Vec<DayStatistic>, StatsError> {
    let mut part = Vec::new();
    for &(start, end) in wins {
        if cancel.load(Ordering::Relaxed) {
            return Err(StatsError::Cancelled);
        }
        part.extend(match source {
            Source::Corp => client.corp_statistic(kfid, start, end).await?,
            Source::Servicer(who) => client.servicer_statistic(kfid, who, start, end).await?,
        });
        tick();
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// 2026-11-26 12:00 CST.
    const NOW: i64 = 1_795_665_600;

    fn today() -> i64 {
        cst_day(NOW)
    }

    #[test]
    fn a_range_is_split_into_31_day_windows_up_to_yesterday() {
        let t = today();
        let w = windows(t - 89 * DAY, t, NOW).unwrap();
        assert_eq!(
            w,
            [(t - 89 * DAY, t - 59 * DAY), (t - 58 * DAY, t - 28 * DAY), (t - 27 * DAY, t - DAY)],
            "today left out (T+1)"
        );
        assert_eq!(days_of(&w).len(), 89);
        assert_eq!(
            windows(t - 7 * DAY + 5000, t - DAY + 80_000, NOW).unwrap(),
            [(t - 7 * DAY, t - DAY)],
            "any times within the days"
        );
        assert_eq!(windows(t - 31 * DAY, t - DAY, NOW).unwrap().len(), 1, "exactly 31 days: one call");
        assert_eq!(windows(t - 32 * DAY, t - DAY, NOW).unwrap().len(), 2);
    }

    #[test]
    fn what_wecom_does_not_keep_is_said_not_asked() {
        let t = today();
        assert_eq!(windows(t - 181 * DAY, t, NOW), Err(RangeProblem::TooOld { earliest: t - 180 * DAY }));
        assert!(windows(t - 180 * DAY, t, NOW).is_ok());
        assert_eq!(windows(t, t, NOW), Err(RangeProblem::NoDataYet));
        assert_eq!(windows(t - DAY, t - 2 * DAY, NOW), Err(RangeProblem::Reversed));
    }

    fn day(stat_time: i64, stat: Option<Value>) -> DayStatistic {
        DayStatistic { stat_time, statistic: stat.map(|v| v.as_object().unwrap().clone()) }
    }

    #[test]
    fn accounts_add_up_rates_are_weighted_and_days_without_figures_have_none() {
        let d = today() - 3 * DAY;
        let a = vec![
            day(
                d,
                Some(json!({"session_cnt": 10, "customer_cnt": 8, "ai_session_reply_cnt": 4, "ai_transfer_rate": 0.5})),
            ),
            day(d + DAY, None),
        ];
        let b = vec![
            day(
                d,
                Some(json!({"session_cnt": 2, "customer_cnt": 2, "ai_session_reply_cnt": 1, "ai_transfer_rate": 1})),
            ),
            day(d + DAY, None),
        ];
        // The third day is left out by both (as WeCom may).
        let out = combine(&[a, b], &[d, d + DAY, d + 2 * DAY]);
        assert_eq!(out.len(), 3);
        let f = out[0].figures.as_ref().unwrap();
        assert_eq!(
            (f["session_cnt"].as_u64(), f["customer_cnt"].as_u64(), f["ai_session_reply_cnt"].as_u64()),
            (Some(12), Some(10), Some(5))
        );
        assert!((f["ai_transfer_rate"].as_f64().unwrap() - 0.6).abs() < 1e-9, "(0.5×4 + 1×1) / 5");
        assert_eq!((out[1].figures.as_ref(), out[2].figures.as_ref()), (None, None), "no data, not zeros");
    }
}
