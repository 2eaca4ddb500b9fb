//! The seam for a company's callback relay. WeCom tells a server of new messages with the
//! `kf_msg_or_event` callback (document/path/94699), whose Token lets `sync_msg` read for 10
//! minutes without the frequency limit (document/path/94670). A desktop app has no public
//! address to receive it, so a company that wants live reading runs a small relay that receives
//! the callbacks and hands them out:
//!
//! `GET {relay}?after=N` → `{"callbacks": [{"seq": N+1, "token": "…", "open_kfid": "wk…",
//! "create_time": 1700000000}, …], "last": M}` — callbacks in `seq` order after position N.
//!
//! The built-in sandbox serves this at `/__sandbox/relay/callbacks`.

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Callback {
    pub seq: u64,
    pub token: String,
    pub open_kfid: String,
    #[serde(default)]
    pub create_time: i64,
}

#[derive(Debug, Deserialize)]
struct Feed {
    #[serde(default)]
    callbacks: Vec<Callback>,
    #[serde(default)]
    last: u64,
}

pub struct Relay {
    http: reqwest::Client,
    url: String,
}

impl Relay {
    pub fn new(url: impl Into<String>) -> Relay {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .expect("a plain HTTP client");
        Relay { http, url: url.into() }
    }

    /// The callbacks after `seq`, and the position to ask from next time. Errors are short
    /// words for the log: the relay's URL carries no secret, its tokens are never logged.
    pub async fn after(&self, seq: u64) -> Result<(Vec<Callback>, u64), String> {
        let r = self.http.get(&self.url).query(&[("after", seq)]).send().await.map_err(|e| e.without_url().to_string())?;
        let feed: Feed = r.error_for_status().map_err(|e| e.without_url().to_string())?.json().await.map_err(|e| e.without_url().to_string())?;
        let last = feed.callbacks.iter().map(|c| c.seq).max().unwrap_or(seq).max(feed.last).max(seq);
        Ok((feed.callbacks, last))
    }
}
