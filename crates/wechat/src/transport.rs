//! The one request path of every WeChat endpoint: token as query parameter, errcode decoding,
//! refresh + single retry on 40001/40014/42001, bounded backoff on -1 for reads only.

use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, Platform};
use super::http::{decode, Body, ClientConfig, HttpCore};
use super::token::{TokenManager, TokenSource};

/// Whether a call may be repeated safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Reading: retried with backoff on -1 and passing network faults.
    Read,
    /// Creating, changing, deleting or sending: never re-sent blindly.
    Write,
}

/// One endpoint call.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: &'static str,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
    pub kind: Kind,
}

impl Call {
    pub fn get(path: &'static str) -> Self {
        Call { method: Method::GET, path, query: Vec::new(), body: Body::None, kind: Kind::Read }
    }
    /// A POST with a JSON body; say whether it writes.
    pub fn post(path: &'static str, kind: Kind, body: Value) -> Self {
        Call { method: Method::POST, path, query: Vec::new(), body: Body::Json(body), kind }
    }
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }
}

/// A file WeChat sent (media/get).
#[derive(Debug, Clone)]
pub struct Download {
    pub content_type: String,
    pub bytes: bytes::Bytes,
}

/// Transport + token manager of one profile, shared by all endpoint modules.
#[derive(Debug)]
pub struct Transport {
    core: Arc<HttpCore>,
    tokens: TokenManager,
}

impl Transport {
    pub fn new(cfg: ClientConfig, platform: Platform, source: TokenSource) -> Result<Self, ApiError> {
        let core = Arc::new(HttpCore::new(cfg, platform)?);
        Ok(Transport { tokens: TokenManager::new(core.clone(), source), core })
    }

    pub fn tokens(&self) -> &TokenManager {
        &self.tokens
    }

    /// The underlying HTTP client (for fetching avatar images through the profile's proxy).
    pub fn http(&self) -> &reqwest::Client {
        &self.core.http
    }

    pub fn config(&self) -> &ClientConfig {
        &self.core.cfg
    }

    /// Runs `call` and deserialises the payload.
    pub async fn call<T: DeserializeOwned>(&self, call: &Call) -> Result<T, ApiError> {
        let value = self.call_value(call).await?;
        serde_json::from_value(value)
            .map_err(|e| ApiError::BadResponse { detail: format!("{} answered an unexpected shape: {e}", call.path) })
    }

    /// Runs `call`; success is a JSON object whose errcode was absent or 0.
    pub async fn call_value(&self, call: &Call) -> Result<Value, ApiError> {
        let platform = self.core.platform;
        self.run(call, |_, bytes| decode(platform, bytes)).await
    }

    /// Runs `call` for a file (e.g. media/get): its bytes and type. WeChat answers errors as
    /// JSON instead of a file.
    pub async fn download(&self, call: &Call) -> Result<Download, ApiError> {
        let platform = self.core.platform;
        self.run(call, |content_type, bytes| {
            if content_type.starts_with("application/json")
                || content_type.starts_with("text/plain") && bytes.first() == Some(&b'{')
            {
                decode(platform, bytes)?;
                return Err(ApiError::BadResponse {
                    detail: format!("{} answered JSON without an error where a file was expected", call.path),
                });
            }
            Ok(Download { content_type: content_type.to_string(), bytes: bytes.clone() })
        })
        .await
    }

    /// The one request path: token, retries, and `finish` turning an answer into a result.
    async fn run<T>(
        &self,
        call: &Call,
        finish: impl Fn(&str, &bytes::Bytes) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut token_retried = false;
        let mut attempt = 1;
        loop {
            let token = self.tokens.token().await?;
            let mut query: Vec<(&str, &str)> = vec![("access_token", token.expose())];
            query.extend(call.query.iter().map(|(k, v)| (*k, v.as_str())));
            let url = self.core.url(call.path, &query);
            match self
                .core
                .send(call.method.clone(), &url, &call.body, None)
                .await
                .and_then(|(ct, bytes)| finish(&ct, &bytes))
            {
                Ok(v) => return Ok(v),
                // WeChat rejected the token before doing anything: safe to repeat even a write.
                Err(e) if e.is_token_error() && !token_retried => {
                    tracing::info!(path = call.path, errcode = e.errcode(), "token rejected; refreshing once");
                    token_retried = true;
                    self.tokens.invalidate(&token).await;
                }
                Err(e) if call.kind == Kind::Read && e.is_transient() && attempt < self.core.cfg.max_read_attempts => {
                    let pause = self.core.cfg.backoff_base * 2u32.pow(attempt - 1);
                    tracing::info!(path = call.path, attempt, ?pause, error = %e, "retrying read");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}
