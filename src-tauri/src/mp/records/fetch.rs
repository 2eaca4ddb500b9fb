//! Fetching a range: every window paged with `msgid` until a page comes back short, a few
//! windows concurrently, the fewest calls possible (one per window, plus one per 10 000
//! records), with progress after each page and cancellation between pages.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::wechat::cst::Window;
use crate::wechat::error::ApiError;
use crate::wechat::mp::{MpClient, MsgRecord, MAX_RECORDS_PER_CALL};

/// Windows fetched at the same time: enough to hide latency, gentle on WeChat's quota.
pub const CONCURRENT_WINDOWS: usize = 4;

/// WeChat cannot filter records; these are applied while fetching, so only matches are kept.
#[derive(Debug, Clone, Default)]
pub struct FetchFilter {
    /// Full kf account.
    pub agent: Option<String>,
    pub customer: Option<String>,
}

impl FetchFilter {
    fn keeps(&self, r: &MsgRecord) -> bool {
        self.agent.as_ref().is_none_or(|a| &r.worker == a) && self.customer.as_ref().is_none_or(|c| &r.openid == c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Progress {
    pub windows_done: usize,
    pub windows_total: usize,
    /// Records kept so far.
    pub records: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FetchStats {
    pub windows: usize,
    pub requests: usize,
    /// Records received from WeChat, before the agent/customer filter.
    pub received: usize,
}

#[derive(Debug)]
pub enum FetchError {
    Api(ApiError),
    Cancelled,
}

struct Counters<'a> {
    windows_total: usize,
    windows_done: AtomicUsize,
    records: AtomicUsize,
    requests: AtomicUsize,
    received: AtomicUsize,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl Counters<'_> {
    fn report(&self) {
        (self.progress)(Progress {
            windows_done: self.windows_done.load(Ordering::Relaxed),
            windows_total: self.windows_total,
            records: self.records.load(Ordering::Relaxed),
        });
    }
}

/// All records of `windows` that `filter` keeps, sorted by time (stable: WeChat's order within
/// a second is kept).
pub async fn fetch_records(
    client: &MpClient,
    windows: &[Window],
    filter: &FetchFilter,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Vec<MsgRecord>, FetchStats), FetchError> {
    let c = Counters {
        windows_total: windows.len(),
        windows_done: AtomicUsize::new(0),
        records: AtomicUsize::new(0),
        requests: AtomicUsize::new(0),
        received: AtomicUsize::new(0),
        progress,
    };
    c.report();
    let jobs: Vec<_> =
        windows.iter().enumerate().map(|(i, w)| fetch_window(client, i, *w, filter, cancel, &c)).collect();
    let mut parts: Vec<(usize, Vec<MsgRecord>)> =
        stream::iter(jobs).buffer_unordered(CONCURRENT_WINDOWS).try_collect().await?;
    parts.sort_by_key(|(i, _)| *i);
    let mut all: Vec<MsgRecord> = Vec::with_capacity(parts.iter().map(|(_, p)| p.len()).sum());
    for (_, mut p) in parts {
        all.append(&mut p);
    }
    all.sort_by_key(|r| r.time);
    let stats =
        FetchStats { windows: windows.len(), requests: c.requests.into_inner(), received: c.received.into_inner() };
    Ok((all, stats))
}

async fn fetch_window(
    client: &MpClient,
    index: usize,
    w: Window,
    filter: &FetchFilter,
    cancel: &AtomicBool,
    c: &Counters<'_>,
) -> Result<(usize, Vec<MsgRecord>), FetchError> {
    let mut kept = Vec::new();
    let mut msgid = 1;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(FetchError::Cancelled);
        }
        let page = client.msg_list(w.start, w.end, msgid, MAX_RECORDS_PER_CALL).await.map_err(FetchError::Api)?;
        c.requests.fetch_add(1, Ordering::Relaxed);
        let full = page.recordlist.len() >= MAX_RECORDS_PER_CALL as usize;
        c.received.fetch_add(page.recordlist.len(), Ordering::Relaxed);
        // WeChat's msgid cursor makes pages disjoint: two identical records on either side of a
        // page boundary (two pictures sent in one second) are two records, both kept.
        let records = page.recordlist;
        let before = kept.len();
        kept.extend(records.into_iter().filter(|r| filter.keeps(r)));
        c.records.fetch_add(kept.len() - before, Ordering::Relaxed);
        c.report();
        // A short page is the last one; a full page needs a cursor that moves forward.
        if !full || page.msgid <= msgid {
            c.windows_done.fetch_add(1, Ordering::Relaxed);
            c.report();
            return Ok((index, kept));
        }
        msgid = page.msgid;
    }
}
