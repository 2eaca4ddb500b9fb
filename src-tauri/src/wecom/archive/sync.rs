//! The reader (document/path/94670, §7.5 of the WeCom notes): for one kf account, from the
//! stored cursor (none: WeCom starts at the earliest message of the last 3 days), page by page
//! while `has_more` — even when a page is empty —, each page stored with its `next_cursor` in
//! one transaction. A callback Token (valid 10 minutes) lifts WeCom's limit of about ten calls a
//! minute; without one a 45009 ends the run and the caller waits a minute.

use std::sync::Arc;

use serde::Serialize;

use super::store::Archive;
use crate::clock::now_secs;
use crate::wechat::wecom::WecomClient;
use crate::wechat::ApiError;

/// Messages asked for per call (WeCom's maximum).
pub const PAGE: u32 = 1000;

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    /// WeCom answered with an error (45009: wait a minute, or use a callback token).
    Api(ApiError),
    /// The archive file could not be read or written.
    Archive(String),
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Api(e)
    }
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Api(e) => e.fmt(f),
            SyncError::Archive(e) => write!(f, "archive: {e}"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncReport {
    /// sync_msg calls made.
    pub requests: u32,
    /// Pages that were empty while WeCom said there was more.
    pub empty_pages: u32,
    /// Messages received, and how many of them were new to the archive.
    pub received: usize,
    pub new: usize,
    /// Stopped at the page budget while WeCom still had more.
    pub more: bool,
}

/// Reads everything new of `open_kfid` into `archive`. On an error the pages stored so far stay
/// stored with their cursor: the next run goes on from there.
pub async fn sync_account(
    client: &WecomClient,
    archive: &Arc<Archive>,
    open_kfid: &str,
    token: Option<&str>,
) -> Result<SyncReport, SyncError> {
    sync_pages(client, archive, open_kfid, token, u32::MAX).await
}

/// [`sync_account`], reading at most `max_pages` pages (a share of the frequency limit): the
/// report says whether more was left.
pub async fn sync_pages(
    client: &WecomClient,
    archive: &Arc<Archive>,
    open_kfid: &str,
    token: Option<&str>,
    max_pages: u32,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let mut cursor = blocking(archive, {
        let k = open_kfid.to_string();
        move |a| a.cursor(&k)
    })
    .await?
    .unwrap_or_default();
    loop {
        let page = client.sync_page(open_kfid, &cursor, token, PAGE).await?;
        report.requests += 1;
        if page.msg_list.is_empty() && page.has_more == 1 {
            report.empty_pages += 1;
        }
        report.received += page.msg_list.len();
        let next = if page.next_cursor.is_empty() { cursor.clone() } else { page.next_cursor.clone() };
        let more = page.has_more == 1;
        report.new += blocking(archive, {
            let (k, next) = (open_kfid.to_string(), next.clone());
            let now = now_secs();
            move |a| a.apply_page(&k, &page.msg_list, &next, now)
        })
        .await?;
        // A server that says "more" without moving the cursor would loop for ever: stop.
        if !more || next == cursor {
            return Ok(report);
        }
        if report.requests >= max_pages {
            report.more = true;
            return Ok(report);
        }
        cursor = next;
    }
}

async fn blocking<T: Send + 'static>(
    archive: &Arc<Archive>,
    f: impl FnOnce(&Archive) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, SyncError> {
    let a = archive.clone();
    tokio::task::spawn_blocking(move || f(&a))
        .await
        .map_err(|e| SyncError::Archive(e.to_string()))?
        .map_err(|e| SyncError::Archive(e.to_string()))
}
