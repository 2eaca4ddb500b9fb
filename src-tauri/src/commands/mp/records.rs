//! Chat records: fetch a date range (progress as `records-progress` events, cancellable), read
//! rows of the result for the virtualised table, and export it to CSV — the result stays here,
//! not in the web view.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::clock::now_secs;
use crate::commands::exports::Exported;
use crate::commands::{active_mp, boundary};
use crate::error::{CommandError, Fault};
use crate::mp::records::{self, FetchError, FetchFilter, FetchStats, RecordOrder, RecordRow, RecordSet};
use crate::profile::ActiveProfile;
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::cst;

/// The longest range fetched at once.
pub const MAX_DAYS: i64 = 366;
/// The most rows one `record_rows` call returns.
const MAX_ROWS_PER_CALL: usize = 1000;

/// The Records page's result (with the profile it was fetched for) and the cancel switch of the
/// fetch under way.
#[derive(Default)]
pub struct RecordsState {
    current: Mutex<Option<Fetched>>,
    cancel: crate::commands::CancelSwitch,
}

/// A fetched result: for which profile, and — when nothing was filtered out — the span of time
/// it holds every record of (the Statistics page reuses it then).
struct Fetched {
    profile: Arc<ActiveProfile>,
    set: Arc<RecordSet>,
    whole: Option<(i64, i64)>,
}

impl RecordsState {
    /// The result fetched for `profile`: after a switch (or an edit of the profile) another
    /// account's records are never shown or exported.
    fn current(&self, profile: &Arc<ActiveProfile>) -> Result<Arc<RecordSet>, Fault> {
        let mut current = self.current.lock().expect("records");
        if current.as_ref().is_some_and(|f| !Arc::ptr_eq(&f.profile, profile)) {
            *current = None;
        }
        current.as_ref().map(|f| f.set.clone()).ok_or_else(|| Fault::other("no_records", S::NoRecordsYet))
    }

    /// The fetched result when it holds every record of `profile` from `start` to `end`; a range
    /// reaching past the moment it was fetched only while that was under a minute ago (records
    /// written since are then few, and the page says the figures are of that moment).
    pub(crate) fn covering(&self, profile: &Arc<ActiveProfile>, start: i64, end: i64) -> Option<Arc<RecordSet>> {
        let current = self.current.lock().expect("records");
        let f = current.as_ref()?;
        let (from, to) = f.whole?;
        let recent = now_secs() - to <= 60;
        (Arc::ptr_eq(&f.profile, profile) && from <= start && (end <= to || recent)).then(|| f.set.clone())
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FetchSummary {
    pub total: usize,
    #[serde(flatten)]
    pub stats: FetchStats,
}

/// Fetches `from..=to` (CST calendar days, `YYYY-MM-DD`), optionally only one agent's or one
/// customer's records, replacing the previous result.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn fetch_records<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    rs: State<'_, RecordsState>,
    from: String,
    to: String,
    agent: Option<String>,
    customer: Option<String>,
) -> Result<FetchSummary, CommandError> {
    boundary(&state, async {
        let (start, end) = cst::cst_date_range(&from, &to).ok_or_else(|| Fault::invalid(S::ChooseValidDates))?;
        if (end - start) / 86_400 > MAX_DAYS {
            return Err(Fault::invalid(S::RecordsRangeTooLong));
        }
        let end = end.min(now_secs() + 1);
        let filter = FetchFilter {
            agent: agent.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()),
            customer: customer.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        };
        let p = active_mp(&state).await?;
        let cancel = rs.cancel.start();
        let windows = cst::cst_windows(start, end);
        let emit = |progress: records::Progress| {
            let _ = app.emit("records-progress", progress);
        };
        let whole = (filter.agent.is_none() && filter.customer.is_none()).then_some((start, end));
        let result = records::fetch_records(&p, &windows, &filter, &cancel, &emit).await;
        match result {
            Ok((list, stats)) => {
                let set = Arc::new(RecordSet::new(list, stats));
                *rs.current.lock().expect("records") = Some(Fetched { profile: p.0.clone(), set: set.clone(), whole });
                Ok(FetchSummary { total: set.records.len(), stats })
            }
            Err(FetchError::Cancelled) => Err(Fault::other("cancelled", S::RecordsCancelled)),
            Err(FetchError::Api(e)) => Err(e.into()),
        }
    })
    .await
}

/// Stops the fetch under way (it ends with the `cancelled` error).
#[tauri::command]
pub fn cancel_records(rs: State<'_, RecordsState>) {
    rs.cancel.cancel();
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RowsPage {
    /// Records in the result.
    pub total: usize,
    /// Records matching the search.
    pub matching: usize,
    pub offset: usize,
    pub rows: Vec<RecordRow>,
}

/// Rows `offset..offset + limit` of the records matching `search`, in `order` (time when none).
#[tauri::command]
pub async fn record_rows(
    state: State<'_, AppState>,
    rs: State<'_, RecordsState>,
    search: String,
    offset: usize,
    limit: usize,
    order: Option<RecordOrder>,
) -> Result<RowsPage, CommandError> {
    boundary(&state, async {
        let set = rs.current(&active_mp(&state).await?.0)?;
        // The operation column is in the user's language.
        let lang = state.lang();
        tokio::task::spawn_blocking(move || {
            let idx = set.matching_in(&search, &order.unwrap_or_default(), lang);
            let from = offset.min(idx.len());
            let to = (from + limit.min(MAX_ROWS_PER_CALL)).min(idx.len());
            RowsPage {
                total: set.records.len(),
                matching: idx.len(),
                offset: from,
                rows: idx[from..to].iter().map(|&i| set.row(i, lang)).collect(),
            }
        })
        .await
        .map_err(Fault::internal)
    })
    .await
}

/// Writes the records matching `search` to `path` as CSV (UTF-8 with BOM) in the order the table
/// shows them, off the main thread.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn export_records(
    state: State<'_, AppState>,
    rs: State<'_, RecordsState>,
    path: String,
    search: String,
    order: Option<RecordOrder>,
) -> Result<Exported, CommandError> {
    boundary(&state, async {
        let set = rs.current(&active_mp(&state).await?.0)?;
        // The header and the operation column are in the user's language.
        let lang = state.lang();
        tokio::task::spawn_blocking(move || {
            let idx = set.matching_in(&search, &order.unwrap_or_default(), lang);
            records::write_csv(std::path::Path::new(&path), &set, &idx, lang)
                .map(|bytes| Exported { rows: idx.len(), bytes })
                .map_err(|e| Fault::File { reading: false, detail: e.to_string() })
        })
        .await
        .map_err(Fault::internal)?
    })
    .await
}
