//! The typed error of every WeChat call: what went wrong, never the credentials used.

use std::fmt;

/// Which WeChat platform answered; errcodes mean different things on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Official Account customer service (api.weixin.qq.com).
    Mp,
    /// WeCom 微信客服 (qyapi.weixin.qq.com).
    Wecom,
}

/// An error from one WeChat call. Every text field is already redacted.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// WeChat answered with a non-zero `errcode`.
    WeChat { platform: Platform, errcode: i64, errmsg: String },
    /// The request took longer than the configured timeout.
    Timeout,
    /// The server could not be reached or dropped the connection.
    Network { detail: String },
    /// A non-2xx HTTP status (WeChat itself answers errors with 200; this is a proxy or gateway).
    HttpStatus { status: u16 },
    /// The body was not the JSON WeChat sends.
    BadResponse { detail: String },
    /// The token relay answered, but not with `{"access_token", "expires_in"}`.
    Relay { detail: String },
    /// The client was configured with something unusable (a bad base URL, proxy…).
    Config { detail: String },
    /// The address would receive secrets or tokens over plain http across the network: nothing
    /// was sent.
    Insecure,
}

/// Token-related errcodes after which the token is refreshed and the call retried once, per
/// platform. On WeCom 40001 means a wrong corp secret (at gettoken), never a stale token, so a
/// refresh could only repeat it.
pub const TOKEN_ERRCODES: [i64; 3] = [40001, 40014, 42001];
pub const WECOM_TOKEN_ERRCODES: [i64; 2] = [40014, 42001];

impl ApiError {
    /// The WeChat errcode, if WeChat answered.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            ApiError::WeChat { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }

    /// A stale, malformed or expired access token: refresh and retry once.
    pub fn is_token_error(&self) -> bool {
        match self {
            ApiError::WeChat { platform: Platform::Mp, errcode, .. } => TOKEN_ERRCODES.contains(errcode),
            ApiError::WeChat { platform: Platform::Wecom, errcode, .. } => WECOM_TOKEN_ERRCODES.contains(errcode),
            _ => false,
        }
    }

    /// Worth retrying a *read* after a pause: WeChat's "system busy" (-1) or a passing network
    /// fault. Never 45009/45011 (quota), which only get worse when retried.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::WeChat { errcode, .. } => *errcode == -1,
            ApiError::Timeout | ApiError::Network { .. } => true,
            ApiError::HttpStatus { status } => *status >= 500,
            _ => false,
        }
    }

    pub(crate) fn from_reqwest(err: reqwest::Error) -> ApiError {
        if err.is_timeout() {
            return ApiError::Timeout;
        }
        let is_decode = err.is_decode();
        // The URL carries the access_token: drop it, then redact whatever the chain says.
        let err = err.without_url();
        let mut detail = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        let detail = super::redact::redact(&detail);
        if is_decode {
            ApiError::BadResponse { detail }
        } else {
            ApiError::Network { detail }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::WeChat { errcode, errmsg, .. } => write!(f, "WeChat error {errcode}: {errmsg}"),
            ApiError::Timeout => write!(f, "request timed out"),
            ApiError::Network { detail } => write!(f, "network error: {detail}"),
            ApiError::HttpStatus { status } => write!(f, "unexpected HTTP status {status}"),
            ApiError::BadResponse { detail } => write!(f, "unexpected response: {detail}"),
            ApiError::Relay { detail } => write!(f, "token relay: {detail}"),
            ApiError::Config { detail } => write!(f, "configuration: {detail}"),
            ApiError::Insecure => write!(f, "refused to send secrets over plain http to another computer"),
        }
    }
}

impl std::error::Error for ApiError {}
