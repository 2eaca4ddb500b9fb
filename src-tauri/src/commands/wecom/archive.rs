//! Message archive 消息存档 (WeCom): search what the WeCom reader kept — Chinese substrings,
//! filters by account, customer, servicer and dates — and export a search or one customer's
//! conversation as CSV. Thin: the work is in `crate::wecom::archive`.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tauri::State;

use super::super::{active_wecom, boundary};
use crate::commands::exports::Exported;
use crate::error::{CommandError, Fault};
use crate::sentences::S;
use crate::state::AppState;
use crate::wecom::archive::export::{export_matches, Names};
use crate::wecom::archive::{Archive, ArchivedMessage, Query};
use crate::wecom::conversations as conv;
use crate::wecom::conversations::blocking;

/// Results shown at most (an export takes every match).
const SHOWN: usize = 500;
const EXPORTED: usize = 2_000_000;

/// `q` with `limit`, or the rule it breaks.
fn limited(mut q: Query, limit: usize) -> Result<Query, Fault> {
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if f >= t {
            return Err(Fault::invalid(S::StartBeforeEnd));
        }
    }
    q.limit = limit;
    Ok(q)
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Found {
    /// Newest first.
    pub rows: Vec<ArchivedMessage>,
    /// More matched than are shown.
    pub more: bool,
    /// Names of the customers in `rows`, where known.
    pub customers: HashMap<String, String>,
    /// Messages in the archive.
    pub archived: i64,
}

/// Customer names from the batchget cache.
fn customer_names(a: &Archive, rows: &[ArchivedMessage]) -> rusqlite::Result<HashMap<String, String>> {
    let mut ids: Vec<String> = rows.iter().filter_map(|m| m.external_userid.clone()).collect();
    ids.sort();
    ids.dedup();
    Ok(a.customers(&ids)?.into_iter().filter(|(_, c)| !c.nickname.is_empty()).map(|(id, c)| (id, c.nickname)).collect())
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn search_archive(state: State<'_, AppState>, search: Query) -> Result<Found, CommandError> {
    boundary(&state, async {
        let q = limited(search, SHOWN + 1)?;
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        let archive: Arc<Archive> = l.archive.clone();
        blocking(&archive, move |a| {
            let mut rows = a.search(&q)?;
            let more = rows.len() > SHOWN;
            rows.truncate(SHOWN);
            let customers = customer_names(a, &rows)?;
            Ok(Found { rows, more, customers, archived: a.count()? })
        })
        .await
    })
    .await
}

/// Writes every message matching `search` (oldest first) to `path` as CSV (BOM, formula
/// cells neutralised; a failed export leaves any file already there untouched).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn export_archive(state: State<'_, AppState>, search: Query, path: String) -> Result<Exported, CommandError> {
    boundary(&state, async {
        let q = limited(search, EXPORTED)?;
        let p = active_wecom(&state).await?;
        let accounts: HashMap<String, String> =
            p.account_list().await.map(|l| l.into_iter().map(|a| (a.open_kfid, a.name)).collect()).unwrap_or_default();
        let l = conv::reader(&state, &p.0, &p)?;
        let lang = state.lang();
        let archive = l.archive.clone();
        let customers = blocking(&archive, |a| a.customer_nicknames()).await?;
        // Straight from the archive into the file, a row at a time.
        tokio::task::spawn_blocking(move || {
            export_matches(&archive, &q, std::path::Path::new(&path), &Names { accounts, customers }, lang)
                .map(|(rows, bytes)| Exported { rows, bytes })
                .map_err(|e| Fault::File { reading: false, detail: e.to_string() })
        })
        .await
        .map_err(Fault::internal)?
    })
    .await
}
