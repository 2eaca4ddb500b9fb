//! The Official Account's statistics: its figures computed from its chat records (fetched like
//! the Records page's, or taken from the Records page's result when it already holds those
//! days), with the previous period of the same length beside them.

use std::sync::Arc;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use super::records::RecordsState;
use crate::clock::now_secs;
use crate::commands::stats::{cancelled, periods, StatsProgress, StatsState};
use crate::commands::{active_mp, boundary};
use crate::error::CommandError;
use crate::mp::records::{self, FetchError, FetchFilter, RecordSet};
use crate::mp::stats::{compute, Figures, MpStats};
use crate::state::AppState;
use crate::wechat::cst::{self, DAY};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MpStatsView {
    pub current: MpStats,
    /// The same figures for the period just before, of the same length.
    pub previous: Figures,
    pub previous_from: i64,
    pub previous_to: i64,
    /// `getmsglist` calls made for this (0 when the Records page's result was used).
    pub requests: usize,
    pub reused: bool,
}

/// The Official Account's statistics for `from..=to`, computed from its chat records.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn mp_statistics<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    rs: State<'_, RecordsState>,
    ss: State<'_, StatsState>,
    from: String,
    to: String,
) -> Result<MpStatsView, CommandError> {
    boundary(&state, async {
        let ((first, last), (prev_first, prev_last)) = periods(&from, &to)?;
        let p = active_mp(&state).await?;
        let end = (last + DAY - 1).min(now_secs() + 1);
        let known: Vec<String> = p.kf_list().await?.into_iter().map(|a| a.kf_account).collect();
        let (set, requests, reused) = match rs.covering(&p.0, prev_first, last + DAY - 1) {
            Some(set) => (set, 0, true),
            None => {
                let cancel = ss.cancel.start();
                let emit = |progress: records::Progress| {
                    let _ = app.emit(
                        "stats-progress",
                        StatsProgress { done: progress.windows_done, total: progress.windows_total },
                    );
                };
                match records::fetch_records(
                    &p,
                    &cst::cst_windows(prev_first, end),
                    &FetchFilter::default(),
                    &cancel,
                    &emit,
                )
                .await
                {
                    Ok((list, stats)) => (Arc::new(RecordSet::new(list, stats)), stats.requests, false),
                    Err(FetchError::Cancelled) => return Err(cancelled()),
                    Err(FetchError::Api(e)) => return Err(e.into()),
                }
            }
        };
        // Records are in time order: each period is a slice.
        let records = &set.records;
        let span = |a: i64, b: i64| {
            let lo = records.partition_point(|r| r.time < a);
            let hi = records.partition_point(|r| r.time < b + DAY);
            lo..hi
        };
        let current = compute(&records[span(first, last)], first, last, &known);
        let previous = compute(&records[span(prev_first, prev_last)], prev_first, prev_last, &known).total;
        Ok(MpStatsView { current, previous, previous_from: prev_first, previous_to: prev_last, requests, reused })
    })
    .await
}
