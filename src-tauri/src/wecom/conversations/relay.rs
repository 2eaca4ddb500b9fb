//! The seam for a company's callback relay. WeCom tells a server of new messages with the
//! `kf_msg_or_event` callback (document/path/94699), whose Token lets `sync_msg` read for 10
//! minutes without the frequency limit (document/path/94670). A desktop app has no public
//! address to receive it, so a company that wants live reading runs a small relay that receives
//! the callbacks and hands them out:
//!
//! `GET {relay}?after=N` → `{"callbacks": [{"seq": N+1, "token": "…", "open_kfid": "wk…",
//! "create_time": 1700000000}, …], "last": M}` — callbacks in `seq` order after position N.
//!
//! The relay is asked through the WeChat client's one exchange ([`HttpCore`]): the profile's
//! proxy, https or this computer only, no redirects, and an answer read up to a cap — a relay
//! that sends hundreds of megabytes is cut off, not buffered. The built-in sandbox serves this
//! at `/__sandbox/relay/callbacks`.

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;

use crate::wechat::http::{Body, ClientConfig, HttpCore};
use crate::wechat::{ApiError, Platform, Secret};

/// The largest feed read from a relay: thousands of callbacks, far more than one poll brings.
pub const MAX_FEED_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Callback {
    pub seq: u64,
    pub token: String,
    pub open_kfid: String,
    /// Unix seconds when WeCom sent it: a Token lasts 10 minutes from then.
    #[serde(default)]
    pub create_time: i64,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
struct Feed {
    #[serde(default)]
    callbacks: Vec<Callback>,
    #[serde(default)]
    last: u64,
}

pub struct Relay {
    core: HttpCore,
    url: String,
    /// The token relay's credential, when both relays are on one server (KefuDesk Server):
    /// sent as a bearer, never to another host.
    bearer: Option<Secret>,
}

impl Relay {
    /// A relay at `url`, asked through the profile's connection settings `cfg` (its proxy).
    pub fn new(url: impl Into<String>, cfg: &ClientConfig) -> Result<Relay, ApiError> {
        let url = url.into();
        let cfg = ClientConfig { base_url: url.clone(), timeout: Duration::from_secs(5), ..cfg.clone() };
        let core = HttpCore::new(cfg, Platform::Wecom)?;
        Ok(Relay { core, url, bearer: None })
    }

    /// Sends the token relay's credential too, when the token relay at `token_url` is on the
    /// same server (scheme, host and port) as this feed.
    pub fn with_token_relay(mut self, token_url: &str, bearer: Option<&Secret>) -> Relay {
        if same_origin(&self.url, token_url) {
            self.bearer = bearer.cloned();
        }
        self
    }

    /// Where the feed is read from: the archive remembers its position per relay.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The callbacks after `seq`, and the position to ask from next time. Errors are short
    /// words for the log: the relay's URL carries no secret, its tokens are never logged.
    pub async fn after(&self, seq: u64) -> Result<(Vec<Callback>, u64), String> {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let url = format!("{}{sep}after={seq}", self.url);
        let (_, bytes) = self
            .core
            .send_capped(Method::GET, &url, &Body::None, self.bearer.as_ref().map(Secret::expose), MAX_FEED_BYTES)
            .await
            .map_err(|e| e.to_string())?;
        let feed: Feed = serde_json::from_slice(&bytes).map_err(|e| format!("not a relay feed: {e}"))?;
        let last = feed.callbacks.iter().map(|c| c.seq).max().unwrap_or(seq).max(feed.last).max(seq);
        Ok((feed.callbacks, last))
    }
}

/// Whether two addresses name the same server: scheme, host and port.
fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_credential_goes_to_the_same_server_only() {
        assert!(super::same_origin(
            "https://kefu.shop.cn/gateway/wecom/1/callbacks",
            "https://kefu.shop.cn/gateway/wecom/1/token"
        ));
        assert!(!super::same_origin("https://relay.other.cn/feed", "https://kefu.shop.cn/token"));
        assert!(!super::same_origin("http://kefu.shop.cn/feed", "https://kefu.shop.cn/token"), "another scheme");
        assert!(!super::same_origin("https://kefu.shop.cn:8443/feed", "https://kefu.shop.cn/token"), "another port");
    }
}
