//! Access tokens of one profile: where they come from, the cache, refresh ahead of expiry and
//! single-flight (N concurrent calls on a cold cache make exactly one token request).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::error::ApiError;
use super::http::{Body, HttpCore};

/// A credential. Prints as `***`; read it only where it is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An access token. Prints as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(pub(crate) String);

impl AccessToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

/// Where a profile's access token comes from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// Official Account AppID + AppSecret through `POST /cgi-bin/stable_token`. Never
    /// `/cgi-bin/token`, which would invalidate the token the company's own servers use.
    MpStable { appid: String, secret: Secret },
    /// WeCom CorpID + the secret of the app allowed to call 微信客服, through
    /// `GET /cgi-bin/gettoken` (developer.work.weixin.qq.com/document/path/91039).
    WecomCorp { corpid: String, secret: Secret },
    /// A company token relay: `GET url` → `{"access_token","expires_in"}`, with an optional
    /// bearer credential. For companies whose AppSecret stays on their own server.
    Relay { url: String, bearer: Option<Secret> },
}

#[derive(Debug)]
struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

/// Fetches, caches and refreshes the token of one profile.
#[derive(Debug)]
pub struct TokenManager {
    core: Arc<HttpCore>,
    source: TokenSource,
    cache: Mutex<Option<Cached>>,
}

impl TokenManager {
    pub fn new(core: Arc<HttpCore>, source: TokenSource) -> Self {
        TokenManager { core, source, cache: Mutex::new(None) }
    }

    /// The token relay and its credential, when tokens come from one.
    pub fn relay(&self) -> Option<(&str, Option<&Secret>)> {
        match &self.source {
            TokenSource::Relay { url, bearer } => Some((url, bearer.as_ref())),
            _ => None,
        }
    }

    /// The current token, fetching one if the cache is cold or close to expiry. Callers that
    /// arrive while a fetch is under way wait for it instead of starting their own.
    pub async fn token(&self) -> Result<AccessToken, ApiError> {
        let mut cache = self.cache.lock().await;
        if let Some(c) = cache.as_ref() {
            if self.core.cfg.clock.now() < c.refresh_at {
                return Ok(c.token.clone());
            }
        }
        let (token, expires_in) = self.fetch().await?;
        *cache =
            Some(Cached { token: token.clone(), refresh_at: self.core.cfg.clock.now() + refresh_after(expires_in) });
        Ok(token)
    }

    /// Forgets `used` if it is still the cached token (compare-and-swap, so a burst of
    /// failures with one stale token causes one refresh, not one per failure).
    pub async fn invalidate(&self, used: &AccessToken) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| &c.token == used) {
            *cache = None;
        }
    }

    /// Fetches a token, backing off on -1 and passing network faults: nothing has been sent
    /// to a business endpoint yet, so this is safe before a write too.
    async fn fetch(&self) -> Result<(AccessToken, u64), ApiError> {
        let mut attempt = 1;
        loop {
            match self.fetch_once().await {
                Err(e) if e.is_transient() && attempt < self.core.cfg.max_read_attempts => {
                    tokio::time::sleep(self.core.cfg.backoff_base * 2u32.pow(attempt - 1)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn fetch_once(&self) -> Result<(AccessToken, u64), ApiError> {
        let value = match &self.source {
            TokenSource::MpStable { appid, secret } => {
                let body = Body::Json(json!({
                    "grant_type": "client_credential",
                    "appid": appid,
                    "secret": secret.expose(),
                    "force_refresh": false,
                }));
                let url = self.core.url("/cgi-bin/stable_token", &[]);
                self.core.exchange(Method::POST, &url, &body, None).await?
            }
            TokenSource::WecomCorp { corpid, secret } => {
                let url = self.core.url("/cgi-bin/gettoken", &[("corpid", corpid), ("corpsecret", secret.expose())]);
                self.core.exchange(Method::GET, &url, &Body::None, None).await?
            }
            TokenSource::Relay { url, bearer } => {
                self.core.exchange(Method::GET, url, &Body::None, bearer.as_ref().map(Secret::expose)).await.map_err(
                    |e| match e {
                        ApiError::BadResponse { detail } => ApiError::Relay { detail },
                        // A relay refusing us (401, 403, 404…) is the relay's answer, not a gateway fault.
                        ApiError::HttpStatus { status } if status < 500 => {
                            ApiError::Relay { detail: format!("HTTP {status}") }
                        }
                        other => other,
                    },
                )?
            }
        };
        parse_token(&value)
    }
}

/// The longest lifetime believed: WeChat's tokens last 2 hours; a relay claiming years (or
/// `u64::MAX`, which would overflow `Instant + Duration`) is asked again after a day.
const MAX_TTL_SECS: u64 = 86_400;

/// Refresh five minutes ahead of expiry (WeChat's own overlap), or at 3/4 of a short lifetime.
fn refresh_after(expires_in: u64) -> Duration {
    let ttl = Duration::from_secs(expires_in.min(MAX_TTL_SECS));
    ttl - (ttl / 4).min(Duration::from_secs(300))
}

fn parse_token(v: &Value) -> Result<(AccessToken, u64), ApiError> {
    let token = v
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Relay { detail: "the answer has no access_token".into() })?;
    let expires_in = v
        .get("expires_in")
        .and_then(|e| e.as_u64().or_else(|| e.as_str().and_then(|s| s.parse().ok())))
        .ok_or_else(|| ApiError::Relay { detail: "the answer has no expires_in".into() })?;
    Ok((AccessToken(token.to_string()), expires_in))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin() {
        assert_eq!(refresh_after(7200), Duration::from_secs(6900));
        assert_eq!(refresh_after(400), Duration::from_secs(300));
        assert_eq!(refresh_after(0), Duration::ZERO);
        // A relay's absurd lifetime is clamped, and adding it to now cannot overflow.
        assert_eq!(refresh_after(u64::MAX), Duration::from_secs(MAX_TTL_SECS - 300));
        let _ = Instant::now() + refresh_after(u64::MAX);
    }

    #[test]
    fn secrets_do_not_print() {
        let s = TokenSource::MpStable { appid: "wx1".into(), secret: Secret::new("hunter2") };
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{:?}", AccessToken("tok".into())).contains("tok"));
    }

    #[test]
    fn token_answers_are_checked() {
        assert!(parse_token(&json!({"access_token":"a","expires_in":7200})).is_ok());
        assert!(parse_token(&json!({"access_token":"a","expires_in":"7200"})).is_ok());
        assert!(matches!(parse_token(&json!({"token":"a"})), Err(ApiError::Relay { .. })));
    }
}
